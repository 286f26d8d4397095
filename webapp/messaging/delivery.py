"""Delivering outbox rows: claim, call the transport, record the outcome, back off on failure.

The claim is committed *before* the SMTP server or SMS provider is called, and the outcome is
written after (the job's commit). A worker that dies in between leaves the row ``sending`` with
its attempt on record; once the claim is stale the periodic relay tries again. An SMS goes out
with the same idempotency key, so the provider sends it once; an e-mail keeps its Message-ID.

These functions therefore commit the claim themselves: the one deliberate exception to "one
commit per job", because an attempt must be on record before anything leaves the machine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, or_, select, update

from webapp import clock
from webapp.extensions import db
from webapp.messaging import disclosures, mail, sms_providers
from webapp.messaging.errors import DeliveryError, PermanentError
from webapp.messaging.models import DeliveryMixin, OutboxEmail, SmsMessage

log = logging.getLogger("bizalom.messaging")


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: timedelta
    max_delay: timedelta
    max_attempts: int
    stale_after: timedelta  # a claim this old belongs to a worker that died

    def delay(self, attempts: int) -> timedelta:
        """Exponential backoff: first_delay, then doubled per failed attempt, up to max_delay."""
        return min(self.max_delay, self.first_delay * 2 ** max(0, attempts - 1))


# E-mail: 1, 2, 4, … minutes, at most 4 hours apart; gives up after 10 attempts (about a day).
EMAIL_POLICY = RetryPolicy(timedelta(minutes=1), timedelta(hours=4), 10, timedelta(minutes=10))
# SMS carry short-lived codes: 30 s, 1, 2, 4 minutes; gives up after 5 attempts.
SMS_POLICY = RetryPolicy(timedelta(seconds=30), timedelta(minutes=10), 5, timedelta(minutes=2))


def _claimable(model: type[DeliveryMixin], policy: RetryPolicy):
    now = clock.now()
    return or_(
        and_(model.state == "pending", model.next_attempt_at <= now),
        and_(model.state == "sending", model.last_attempt_at < now - policy.stale_after),
    )


def due_ids(model: type[DeliveryMixin], policy: RetryPolicy, limit: int = 100) -> list[int]:
    """Rows whose next attempt is due, or whose claim went stale, oldest first."""
    query = select(model.id).where(_claimable(model, policy)).order_by(model.id).limit(limit)
    return list(db.session.scalars(query))


def claim(model: type[DeliveryMixin], row_id: int, policy: RetryPolicy):
    """Take the row for one attempt (committed); None when it is not due or someone else has it."""
    result = db.session.execute(
        update(model)
        .where(model.id == row_id, _claimable(model, policy))
        .values(state="sending", attempts=model.attempts + 1, last_attempt_at=clock.now(), next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    db.session.commit()
    return db.session.get(model, row_id, populate_existing=True)


def record_failure(row: DeliveryMixin, error: DeliveryError, policy: RetryPolicy) -> str:
    """Back off and retry later, or give up (permanent error, or out of attempts)."""
    db.session.refresh(row, with_for_update=True)
    if row.state != "sending":  # a delivery report arrived during the attempt: it wins
        return row.state
    row.last_error = str(error)[:500] or type(error).__name__
    if isinstance(error, PermanentError) or row.attempts >= policy.max_attempts:
        row.state, row.next_attempt_at = "failed", None
    else:
        row.state, row.next_attempt_at = "pending", clock.now() + policy.delay(row.attempts)
    log.warning("%s %s attempt %s: %s", type(row).__name__, row.id, row.attempts, row.state)
    db.session.flush()
    return row.state


def deliver_email(email_id: int) -> str:
    email = claim(OutboxEmail, email_id, EMAIL_POLICY)
    if email is None:
        return "skipped"
    if email.category == "marketing" and disclosures.stopped_address(email.to_address):
        return record_failure(email, PermanentError("contact stop: the person asked not to be contacted"),
                              EMAIL_POLICY)
    try:
        transport = mail.send(email)
    except DeliveryError as exc:
        return record_failure(email, exc, EMAIL_POLICY)
    email.state, email.transport, email.sent_at, email.last_error = "sent", transport, clock.now(), None
    disclosures.email_sent(email.id, email.to_address, email.category, transport, email.user_id)
    db.session.flush()
    return "sent"


def record_sms_result(sms: SmsMessage, receipt: sms_providers.Receipt) -> str:
    """Write the provider's answer; a delivery report that came in meanwhile is kept."""
    db.session.refresh(sms, with_for_update=True)
    sms.provider, sms.sent_at, sms.last_error = receipt.provider, clock.now(), None
    sms.provider_message_id = sms.provider_message_id or receipt.message_id
    disclosures.sms_sent([(sms.id, sms.to_number, sms.purpose, receipt.provider, sms.user_id)])
    if sms.state == "sending":
        sms.state = "delivered" if receipt.delivered else "sent"
        sms.delivered_at = clock.now() if receipt.delivered else None
    db.session.flush()
    return sms.state


def deliver_sms(sms_id: int) -> str:
    sms = claim(SmsMessage, sms_id, SMS_POLICY)
    if sms is None:
        return "skipped"
    if sms.purpose not in disclosures.SECURITY_PURPOSES and disclosures.stopped_numbers([sms.to_number]):
        return record_failure(sms, PermanentError("contact stop: the person asked not to be contacted"), SMS_POLICY)
    try:
        adapter = sms_providers.adapter_for(sms.route)
        receipt = adapter.send(sms.to_number, sms.body, sms.idempotency_key)
    except DeliveryError as exc:
        return record_failure(sms, exc, SMS_POLICY)
    return record_sms_result(sms, receipt)
