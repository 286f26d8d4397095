"""Logging calls with leads: a call is an interaction; a contact stop forbids calling them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from webapp.calls.models import DIRECTIONS, MAX_DURATION_SECONDS, CallLog
from webapp.extensions import db
from webapp.leads import services as leads
from webapp.leads.models import Lead

REVIEWERS = ("sales", "operator")  # managers who may mark a call for review (complaints, samples)


class CallRefused(ValueError):
    """The call cannot be logged as given (``code`` says why, for the message shown to staff)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def may_review(user) -> bool:
    return getattr(user, "staff_role", None) in REVIEWERS


def log_call(lead: Lead, staff, *, direction: str, started_at: datetime, duration_seconds: int,
             announced: bool = False, recorded: bool = False, review: bool = False,
             notes: str | None = None) -> CallLog:
    if direction not in DIRECTIONS:
        raise CallRefused("direction")
    if direction == "outbound" and not leads.may_contact(lead):
        raise CallRefused("contact_stopped")
    if recorded and not (direction == "inbound" and announced):
        raise CallRefused("recording_not_announced")
    if review and not may_review(staff):
        raise CallRefused("review_not_allowed")
    if not 0 <= duration_seconds <= MAX_DURATION_SECONDS:
        raise CallRefused("duration")
    call = CallLog(lead_id=lead.id, staff_id=getattr(staff, "id", None), direction=direction,
                   started_at=started_at, duration_seconds=duration_seconds, announced=announced,
                   recorded=recorded, review=review, notes=(notes or "").strip() or None)
    db.session.add(call)
    leads.touch(lead)
    db.session.flush()
    return call


def set_review(call: CallLog, staff, review: bool) -> None:
    if not may_review(staff):
        raise CallRefused("review_not_allowed")
    call.review = review
    db.session.flush()


def calls_of(lead_id: int, limit: int = 100) -> list[CallLog]:
    return list(db.session.scalars(select(CallLog).where(CallLog.lead_id == lead_id)
                                   .order_by(CallLog.started_at.desc(), CallLog.id.desc()).limit(limit)))
