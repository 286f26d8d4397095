"""Workshop sign-up, the consultants' booking list, appointments, and "no further contact"."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import case, select

from webapp import crypto
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.leads import services as leads
from webapp.leads.models import Lead
from webapp.legalbasis import services as ledger
from webapp.messaging.services import queue_email
from webapp.newsletter.services import record_evidence
from webapp.workshops.models import Appointment, BookingRequest

STOP_PURPOSE = "contact-stop"


def register(name: str, email: str, phone: str, topic: str | None, form: str) -> BookingRequest | None:
    """A sign-up: the lead and a booking request for the consultants (one open request per person).

    A person who asked for no further contact stays uncontacted: a new sign-up with their address
    (perhaps by someone else) creates no request and sends nothing. The answer looks the same.
    """
    existing = leads.find_by_email(email)
    if existing is not None and not leads.may_contact(existing):
        return None
    lead = leads.upsert(email, name, "workshop", phone=phone)
    request = db.session.scalars(select(BookingRequest).where(BookingRequest.lead_id == lead.id,
                                                              BookingRequest.state == "open")).first()
    if request is not None:
        return request
    request = BookingRequest(lead_id=lead.id, topic=(topic or "").strip() or None)
    db.session.add(request)
    db.session.flush()
    leads.touch(lead)
    record_evidence(lead, "workshop", "requested", form)
    ledger.set_basis(lead.id, "workshop", "legitimate_interest", "workshop_form")
    stop_link = url_for("workshops.stop_contact", token=stop_token(lead.id), _external=True)
    queue_email(lead.email, _("Your workshop request"),
                _("Hello %(name)s,\n\nthank you for your interest in our free workshop. A consultant will contact "
                  "you soon to find a date.\n\nIf you do not want to be contacted after all, open this link and "
                  "we will stop at once, on every channel:\n\n%(link)s", name=lead.name, link=stop_link))
    return request


def stop_token(lead_id: int) -> str:
    return f"{lead_id}.{crypto.keyed_hash(STOP_PURPOSE, str(lead_id))[:40]}"


def lead_by_stop_token(token: str) -> Lead | None:
    ident, _sep, _sig = (token or "")[:80].partition(".")
    if not ident.isdigit() or not crypto.same(stop_token(int(ident)), token):
        return None
    return db.session.get(Lead, int(ident))


def stop_contact(lead: Lead, reason: str, form: str) -> None:
    """"No further contact": every channel honours it from now on; open requests are closed."""
    if lead.contact_stopped_at is None:
        record_evidence(lead, "workshop", "contact_stopped", form)
    leads.stop_contact(lead)
    for request in db.session.scalars(select(BookingRequest).where(BookingRequest.lead_id == lead.id,
                                                                  BookingRequest.state != "closed")):
        request.state, request.closed_reason = "closed", "contact_stop"
        for appointment in request.appointments:
            if appointment.state == "planned":
                appointment.state = "cancelled"
    ledger.end_basis(lead.id, "workshop", reason)
    ledger.end_basis(lead.id, "marketing_contact", reason)
    db.session.flush()


def call_list() -> list[BookingRequest]:
    """The consultants' task list: open requests of people who may be contacted, oldest first."""
    return list(db.session.scalars(
        select(BookingRequest).join(Lead).where(BookingRequest.state == "open", Lead.contact_stopped_at.is_(None))
        .order_by(BookingRequest.created_at, BookingRequest.id).limit(200)))


def upcoming(consultant: User | None = None) -> list[Appointment]:
    stmt = (select(Appointment).where(Appointment.state == "planned")
            .order_by(case((Appointment.consultant_id == (consultant.id if consultant else -1), 0), else_=1),
                      Appointment.starts_at).limit(200))
    return list(db.session.scalars(stmt))


def book(request: BookingRequest, consultant: User, starts_at: datetime, minutes: int) -> Appointment:
    if request.state != "open" or not leads.may_contact(request.lead):
        raise ValueError("request is not open")
    appointment = Appointment(request_id=request.id, consultant_id=consultant.id, starts_at=starts_at,
                              duration_minutes=minutes)
    db.session.add(appointment)
    request.state = "booked"
    leads.touch(request.lead)
    db.session.flush()
    return appointment
