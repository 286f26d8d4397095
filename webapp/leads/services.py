"""One lead per person (by e-mail address) in the operator's own CRM, whatever channel brought them."""

from __future__ import annotations

from sqlalchemy import select

from webapp import clock
from webapp.extensions import db
from webapp.leads.models import LEAD_SOURCES, Lead


def find_by_email(email: str) -> Lead | None:
    return db.session.scalars(select(Lead).where(Lead.email == email.strip().lower())).first()


def upsert(email: str, name: str, source: str, phone: str | None = None) -> Lead:
    """The lead with this address (created on first contact); a phone given later is kept."""
    if source not in LEAD_SOURCES:
        raise ValueError(f"unknown lead source {source!r}")
    lead = find_by_email(email)
    if lead is None:
        lead = Lead(email=email.strip().lower(), name=name.strip(), phone=phone, source=source,
                    last_interaction_at=clock.now())
        db.session.add(lead)
    elif phone and not lead.phone:
        lead.phone = phone
    db.session.flush()
    return lead


def touch(lead: Lead) -> None:
    """An interaction that counts happened now (it restarts the retention clock)."""
    lead.last_interaction_at = clock.now()
    db.session.flush()


def stop_contact(lead: Lead) -> None:
    if lead.contact_stopped_at is None:
        lead.contact_stopped_at = clock.now()
        db.session.flush()


def may_contact(lead: Lead) -> bool:
    return lead.contact_stopped_at is None


def may_market(lead: Lead) -> bool:
    """Marketing (newsletters, segments, campaigns) may reach this person."""
    return lead.contact_stopped_at is None and lead.restricted_at is None and lead.marketing_objection_at is None


def marketing_blocked():
    """SQL: leads that no marketing may reach (contact stop, restriction, objection)."""
    return (Lead.contact_stopped_at.is_not(None)) | (Lead.restricted_at.is_not(None)) | (
        Lead.marketing_objection_at.is_not(None))


def restrict(lead: Lead) -> bool:
    if lead.restricted_at is not None:
        return False
    lead.restricted_at = clock.now()
    db.session.flush()
    return True


def lift_restriction(lead: Lead) -> bool:
    if lead.restricted_at is None:
        return False
    lead.restricted_at = None
    db.session.flush()
    return True


def object_to_marketing(lead: Lead) -> None:
    if lead.marketing_objection_at is None:
        lead.marketing_objection_at = clock.now()
        db.session.flush()
