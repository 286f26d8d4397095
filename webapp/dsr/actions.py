"""What privacy officers (and the portal) do for restriction and objection requests; each is an event.

Restriction (Art. 18): the person's data is kept but not used — no marketing, segments, campaigns or
sends — until lifted with a recorded reason. Objection (Art. 21): direct marketing stops at once; any
other objection also restricts processing until the balancing decision is recorded (lifting it).
"""

from __future__ import annotations

from sqlalchemy import select

from webapp.dsr.models import DataRequest
from webapp.dsr.services import Refused, _event, _open
from webapp.extensions import db
from webapp.leads import services as leads
from webapp.legalbasis import services as ledger


def _lead(request: DataRequest):
    lead = leads.find_by_email(request.email)
    if lead is None:
        raise Refused("no such person")
    return lead


def restrict(request: DataRequest, actor_id: int | None) -> None:
    _open(request)
    if leads.restrict(_lead(request)):
        _event(request, "restricted", actor_id)


def lift(request: DataRequest, reason: str, actor_id: int | None) -> None:
    if not reason.strip():
        raise Refused("reason required")
    if leads.lift_restriction(_lead(request)):
        _event(request, "restriction_lifted", actor_id, reason)


def stop_marketing(request: DataRequest, actor_id: int | None) -> None:
    """The objection's immediate part: direct marketing ends, and the newsletter with it."""
    _open(request)
    lead = _lead(request)
    leads.object_to_marketing(lead)
    ledger.end_basis(lead.id, "marketing_contact", "objection")
    from webapp.newsletter.models import NewsletterSubscription
    from webapp.newsletter.services import unsubscribe

    subscription = db.session.scalars(select(NewsletterSubscription).where(
        NewsletterSubscription.lead_id == lead.id)).first()
    if subscription is not None:
        unsubscribe(subscription, form="objection")
    _event(request, "marketing_stopped", actor_id)
