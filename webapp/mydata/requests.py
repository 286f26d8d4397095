"""Requests made in the portal. Stopping contact and withdrawing marketing consent take effect at once;
the other kinds go to the privacy officers' queue with their deadline."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from webapp.dsr import services as dsr
from webapp.dsr.models import DataRequest
from webapp.extensions import db
from webapp.leads import services as leads
from webapp.legalbasis import services as ledger

IMMEDIATE = ("stop_contact", "withdrawal")
AT_ONCE_THEN_OPEN = ("objection", "restriction")


def submit(email: str, kind: str, details: str | None) -> DataRequest:
    check = "signed_in" if current_user.is_authenticated and current_user.email == email else "one_time_link"
    request = dsr.log(kind, email, "portal", check, details=details)
    if kind in IMMEDIATE:
        _carry_out(request)
    elif kind in AT_ONCE_THEN_OPEN and leads.find_by_email(email) is not None:
        from webapp.dsr import actions

        if kind == "objection":
            actions.stop_marketing(request, None)
        actions.restrict(request, None)  # until a privacy officer records the decision and lifts it
    return request


def _carry_out(request: DataRequest) -> None:
    lead = leads.find_by_email(request.email)
    if request.kind == "stop_contact":
        if lead is not None:
            from webapp.workshops.services import stop_contact

            stop_contact(lead, "portal_request", form="portal")
        dsr.close(request, "done", "Contact stopped on every channel.", None)
        return
    if lead is not None:
        from webapp.newsletter.models import NewsletterSubscription
        from webapp.newsletter.services import unsubscribe

        subscription = db.session.scalars(select(NewsletterSubscription).where(
            NewsletterSubscription.lead_id == lead.id)).first()
        if subscription is not None:
            unsubscribe(subscription, form="portal")
        ledger.end_basis(lead.id, "marketing_contact", "consent_withdrawn")
    dsr.close(request, "done", "Marketing consent withdrawn; newsletter ended.", None)
