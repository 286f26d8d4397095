"""Rectification (Art. 16, 19): after correcting the data, every earlier recipient is told.

The recipients come from the transfer log. Each one with an address in the sub-processor registry
gets a notice by e-mail naming only the request's reference and what was corrected; the notice is a
disclosure itself and is logged. Recipients without an address are listed on the request for staff to
tell by other means. Every step is an event on the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.dsr.models import DataRequest
from webapp.dsr.services import Refused, _event, _open
from webapp.extensions import db
from webapp.messaging.services import queue_email
from webapp.transfers import services as transfers


@dataclass(frozen=True)
class Outcome:
    notified: list[str]
    by_hand: list[str]


def recipients_of(request: DataRequest) -> list[str]:
    from webapp.leads.services import find_by_email

    lead = find_by_email(request.email)
    rows = transfers.for_person(email=request.email, phone=lead.phone if lead else None)
    return sorted({row.recipient for row in rows})


def notify_recipients(request: DataRequest, corrected: str, actor_id: int | None) -> Outcome:
    _open(request)
    corrected = corrected.strip()
    if not corrected:
        raise Refused("correction required")
    from webapp.subprocessors.models import Subprocessor

    addresses = dict(db.session.execute(select(Subprocessor.name, Subprocessor.email)).all())
    notified, by_hand = [], []
    for recipient in recipients_of(request):
        address = (addresses.get(recipient) or "").strip()
        if not address:
            by_hand.append(recipient)
            continue
        queue_email(address, _("Correction of personal data (our reference R-%(id)s)", id=request.id),
                    _("Hello,\n\nwe earlier passed you personal data of a person who has since had it corrected "
                      "(our reference R-%(id)s). Please correct your copy as well: %(what)s\n\nThank you.",
                      id=request.id, what=corrected[:500]))
        transfers.record(transfers.Disclosure(
            recipient=recipient, recipient_kind="processor", legal_basis="legal_obligation",
            purpose="rectification_notice", data_description=_("the correction: %(what)s", what=corrected[:200]),
            subject_email=request.email, reference=f"rectification:{request.id}:{recipient}"[:60]))
        notified.append(recipient)
    _event(request, "recipients_notified", actor_id,
           "; ".join(filter(None, [", ".join(notified) and f"notified: {', '.join(notified)}",
                                   ", ".join(by_hand) and f"to tell by hand: {', '.join(by_hand)}"])) or "none")
    return Outcome(notified, by_hand)
