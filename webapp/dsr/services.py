"""Logging, working and answering data-subject requests; every step is an event."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from webapp import clock
from webapp.dsr import deadlines
from webapp.dsr.models import KINDS, DataRequest, DataRequestEvent
from webapp.extensions import db
from webapp.messaging.services import queue_email


class Refused(ValueError):
    """A step that is not possible; the message is shown to staff."""


def _event(request: DataRequest, action: str, actor_id: int | None, note: str | None = None) -> None:
    request.events.append(DataRequestEvent(at=clock.now(), actor_id=actor_id, action=action,
                                           note=(note or None) and note[:500]))
    db.session.flush()


def log(kind: str, email: str, channel: str, identity_check: str, *, details: str | None = None,
        identity_note: str | None = None, actor_id: int | None = None) -> DataRequest:
    if kind not in KINDS:
        raise Refused("unknown kind")
    received = clock.now()
    request = DataRequest(kind=kind, email=email.strip().lower(), channel=channel, identity_check=identity_check,
                          identity_note=identity_note, details=details, received_at=received,
                          due_on=deadlines.due_on(received), logged_by_id=actor_id, state="received")
    db.session.add(request)
    db.session.flush()
    _event(request, "received", actor_id, f"{channel}, {identity_check}")
    queue_email(request.email, _("We received your request"),
                _("Hello,\n\nwe received your request (%(kind)s) on %(received)s. We will answer by %(due)s at the "
                  "latest.", kind=kind_label(kind), received=format_date(deadlines.local_day(received), "long"),
                  due=format_date(request.due_on, "long")))
    return request


def start(request: DataRequest, actor_id: int) -> None:
    _open(request)
    if request.state == "received":
        request.state = "in_progress"
        _event(request, "started", actor_id)


def extend(request: DataRequest, until: date, reason: str, actor_id: int) -> None:
    """Up to two more months, with a reason the person is told (Art. 12(3))."""
    _open(request)
    if request.extended_due_on is not None:
        raise Refused("already extended")
    if until <= request.due_on or until > deadlines.latest_extension(request.received_at):
        raise Refused("extension out of range")
    if not reason.strip():
        raise Refused("reason required")
    request.extended_due_on, request.extension_reason, request.state = until, reason.strip()[:500], "extended"
    _event(request, "extended", actor_id, reason)
    queue_email(request.email, _("Your request needs more time"),
                _("Hello,\n\nwe need more time for your request (%(kind)s). We will answer by %(due)s. The reason: "
                  "%(reason)s", kind=kind_label(request.kind), due=format_date(until, "long"), reason=reason.strip()))


def close(request: DataRequest, state: str, outcome: str, actor_id: int | None) -> None:
    _open(request)
    if state not in ("done", "refused") or not outcome.strip():
        raise Refused("outcome required")
    request.state, request.outcome, request.closed_at = state, outcome.strip()[:500], clock.now()
    _event(request, state, actor_id, outcome)


def _open(request: DataRequest) -> None:
    if request.state in ("done", "refused"):
        raise Refused("closed")


def queue(kind: str = "", state: str = "open") -> list[DataRequest]:
    stmt = select(DataRequest).order_by(DataRequest.due_on, DataRequest.id).limit(500)
    if kind in KINDS:
        stmt = stmt.where(DataRequest.kind == kind)
    if state == "open":
        stmt = stmt.where(DataRequest.state.not_in(("done", "refused")))
    elif state == "closed":
        stmt = stmt.where(DataRequest.state.in_(("done", "refused")))
    requests = list(db.session.scalars(stmt))
    return sorted(requests, key=lambda r: (r.deadline, r.id))


def is_overdue(request: DataRequest, today: date | None = None) -> bool:
    today = today or deadlines.local_day(clock.now())
    return request.state not in ("done", "refused") and request.deadline < today


def of_person(email: str) -> list[DataRequest]:
    return list(db.session.scalars(select(DataRequest).where(DataRequest.email == email.strip().lower())
                                   .order_by(DataRequest.received_at.desc())))


def kind_label(kind: str) -> str:
    return {"access": _("access to your data"), "rectification": _("correction of your data"),
            "erasure": _("erasure of your data"), "restriction": _("restriction of processing"),
            "portability": _("a copy of your data to take elsewhere"), "objection": _("objection to processing"),
            "withdrawal": _("withdrawal of consent"), "stop_contact": _("no further contact")}[kind]
