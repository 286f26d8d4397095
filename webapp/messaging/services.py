"""Queueing e-mail and SMS: a row in the caller's transaction, a relay job after its commit.

The row is the truth: if Redis is down at commit time the job is not pushed, and the periodic
``relay_pending_email`` / ``relay_pending_sms`` jobs send it later. Like every service, these
functions flush and leave the commit to the caller.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from sqlalchemy import or_, select, update

from webapp import clock
from webapp.extensions import db
from webapp.jobs.services import enqueue
from webapp.messaging import settings, validation
from webapp.messaging.models import OutboxEmail, SmsMessage
from webapp.messaging.validation import (  # noqa: F401 - re-exported for callers
    HeaderInjection,
    InvalidEmailAddress,
    InvalidHeader,
    InvalidMessage,
    InvalidPhoneNumber,
    MessageRejected,
)

HUNGARY = 36
# Provider status words, mapped to ours; anything else is refused.
CALLBACK_STATES = {
    "delivered": "delivered",
    "failed": "failed", "undelivered": "failed", "rejected": "failed", "expired": "failed",
    "sent": "sent", "accepted": "sent", "queued": "sent", "enroute": "sent",
}


class UnknownStatus(ValueError):
    """A delivery callback named a status we do not know."""


def mail_domain() -> str:
    _name, address = parseaddr(str(settings.get("MAIL_FROM")))
    return address.rpartition("@")[2] or "localhost"


def queue_email(to: str, subject: str, text: str, *, html: str | None = None, headers: dict | None = None,
                category: str = "transactional", user_id: int | None = None) -> OutboxEmail:
    """Store an e-mail in the outbox and relay it once the caller's transaction commits."""
    category = validation.category(category)
    email = OutboxEmail(
        to_address=validation.email_address(to),
        subject=validation.subject(subject),
        text_body=validation.text_body(text),
        html_body=validation.plain(html) or None,
        headers=json.dumps(validation.extra_headers(headers, category)),
        category=category,
        message_id=make_msgid(domain=mail_domain()),
        user_id=user_id,
    )
    db.session.add(email)
    db.session.flush()
    enqueue("workers.messaging.relay_email", email.id, queue_name="messages")
    return email


def sms_route(country_code: int) -> str:
    return "domestic" if country_code == HUNGARY else "international"


def queue_sms(to: str, body: str, *, purpose: str, user_id: int | None = None) -> SmsMessage:
    """Store an SMS (number in E.164) and send it once the caller's transaction commits."""
    number, country_code = validation.phone_number(to, str(settings.get("SMS_DEFAULT_REGION")))
    sms = SmsMessage(
        to_number=number,
        body=validation.sms_body(body),
        purpose=validation.purpose(purpose),
        route=sms_route(country_code),
        idempotency_key=uuid.uuid4().hex,
        user_id=user_id,
    )
    db.session.add(sms)
    db.session.flush()
    enqueue("workers.messaging.send_sms", sms.id, queue_name="messages")
    return sms


def queue_sms_bulk(messages: list[tuple[str, str]], *, purpose: str, batch_size: int = 0) -> list[SmsMessage]:
    """Store many SMS ``(to, body)`` at once and send them in batch jobs (one per ``batch_size`` rows).

    All or nothing: one malformed number refuses the whole call and nothing is stored.
    """
    from webapp.messaging.batch import BATCH_SIZE

    region = str(settings.get("SMS_DEFAULT_REGION"))
    rows = []
    for to, body in messages:
        number, country_code = validation.phone_number(to, region)
        rows.append(SmsMessage(to_number=number, body=validation.sms_body(body), purpose=validation.purpose(purpose),
                               route=sms_route(country_code), idempotency_key=uuid.uuid4().hex))
    db.session.add_all(rows)
    db.session.flush()
    size = batch_size or BATCH_SIZE
    for start in range(0, len(rows), size):
        chunk = rows[start:start + size]
        enqueue("workers.messaging.send_sms_batch", chunk[0].id, chunk[-1].id, queue_name="messages")
    return rows


def purge_sms_bodies(as_of: datetime | None = None) -> int:
    """Blank the text of SMS older than SMS_BODY_RETENTION_DAYS; number, purpose and status stay."""
    now = clock.now()
    cutoff = (as_of or now) - timedelta(days=settings.whole("SMS_BODY_RETENTION_DAYS"))
    result = db.session.execute(
        update(SmsMessage)
        .where(SmsMessage.created_at < cutoff, SmsMessage.body_purged_at.is_(None))
        .values(body="", body_purged_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return result.rowcount


def find_sms(reference: str | None, provider_message_id: str | None) -> SmsMessage | None:
    """The SMS a provider callback is about: by our idempotency key, else by the provider's id."""
    conditions = []
    if reference:
        conditions.append(SmsMessage.idempotency_key == str(reference))
    if provider_message_id:
        conditions.append(SmsMessage.provider_message_id == str(provider_message_id))
    if not conditions:
        return None
    return db.session.scalars(select(SmsMessage).where(or_(*conditions)).limit(1)).first()


def record_delivery_status(sms: SmsMessage, status: str, error: str | None = None) -> str:
    """Apply a provider's delivery report. A delivered message stays delivered."""
    state = CALLBACK_STATES.get(str(status).lower())
    if state is None:
        raise UnknownStatus(f"unknown delivery status {status!r}")
    if sms.state == "delivered" or state == "sent" and sms.state in ("sent", "failed"):
        return sms.state
    sms.state = state
    sms.next_attempt_at = None
    if state == "delivered":
        sms.delivered_at = clock.now()
    if state == "failed":
        sms.last_error = f"provider reported: {error or status}"[:500]
    db.session.flush()
    return sms.state


def recent_emails(limit: int = 100) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(limit)))


def recent_sms(limit: int = 100) -> list[SmsMessage]:
    return list(db.session.scalars(select(SmsMessage).order_by(SmsMessage.id.desc()).limit(limit)))
