"""Sending SMS in batches: one claim for many rows, concurrent provider calls, one write of the results.

Same guarantees as ``delivery.deliver_sms``: the claim (state ``sending``, attempt counted) is
committed before any provider call, each call carries the row's idempotency key, and results
are written after. A worker killed mid-batch leaves its rows ``sending``; once the claim is
stale the periodic relay sends them again with the same keys, so the provider sends each once.

Calls go through a pooled HTTP client (``http_pool``: keep-alive connections, ``CONCURRENCY`` calls at a time).
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import OperationalError

from webapp import clock
from webapp.extensions import db
from webapp.messaging import delivery, disclosures, http_pool, sms_providers
from webapp.messaging.errors import DeliveryError, PermanentError
from webapp.messaging.models import SmsMessage

BATCH_SIZE = 500  # messages per batch job
CONCURRENCY = 16  # provider calls in flight per worker
LOCK_RETRIES = 6  # SQLite: another worker's write lock is waited out this many times (about 3 s)


@dataclass(frozen=True)
class Claimed:
    id: int
    to: str
    body: str
    key: str
    route: str
    purpose: str = ""
    user_id: int | None = None


def _committed(step):
    """Run ``step`` and commit; on SQLite, a write lock held by another worker is waited out and retried."""
    for attempt in range(LOCK_RETRIES + 1):
        try:
            outcome = step()
            db.session.commit()
            return outcome
        except OperationalError as exc:
            db.session.rollback()
            if "database is locked" not in str(exc) or attempt == LOCK_RETRIES:
                raise
            time.sleep(0.05 * 2 ** attempt)
    raise AssertionError("unreachable")


def claim_range(first_id: int, last_id: int) -> list[Claimed]:
    """Claim every due SMS with an id in [first_id, last_id] (committed before anything is sent)."""
    return _committed(lambda: _claim(first_id, last_id))


def _claim(first_id: int, last_id: int) -> list[Claimed]:
    table = SmsMessage.__table__
    statement = (
        update(SmsMessage)
        .where(SmsMessage.id.between(first_id, last_id), delivery._claimable(SmsMessage, delivery.SMS_POLICY))
        .values(state="sending", attempts=SmsMessage.attempts + 1, last_attempt_at=clock.now(),
                next_attempt_at=None)
        .returning(table.c.id, table.c.to_number, table.c.body, table.c.idempotency_key, table.c.route,
                   table.c.purpose, table.c.user_id)
        .execution_options(synchronize_session=False)
    )
    claimed = [Claimed(*row) for row in db.session.execute(statement)]
    return sorted(claimed, key=lambda item: item.id)


def _send_one(adapters: dict, pool: http_pool.Pool, item: Claimed):
    try:
        return item.id, adapters[item.route].send(item.to, item.body, item.key, pool=pool)
    except DeliveryError as exc:
        return item.id, exc


def send_all(claimed: list[Claimed]) -> dict[int, sms_providers.Receipt | DeliveryError]:
    stopped = disclosures.stopped_numbers([item.to for item in claimed
                                           if item.purpose not in disclosures.SECURITY_PURPOSES])
    refused = {item.id: PermanentError("contact stop: the person asked not to be contacted")
               for item in claimed if item.to in stopped and item.purpose not in disclosures.SECURITY_PURPOSES}
    results = _send_allowed([item for item in claimed if item.id not in refused])
    return {**results, **refused}


def _send_allowed(claimed: list[Claimed]) -> dict[int, sms_providers.Receipt | DeliveryError]:
    if not claimed:
        return {}
    adapters = {}
    for route in {item.route for item in claimed}:
        try:
            adapters[route] = sms_providers.adapter_for(route)
        except DeliveryError as exc:
            return {item.id: exc for item in claimed}
    pool = http_pool.Pool()
    try:
        with ThreadPoolExecutor(max_workers=CONCURRENCY) as threads:
            return dict(threads.map(lambda item: _send_one(adapters, pool, item), claimed))
    finally:
        pool.close()


def record_results(results: dict[int, sms_providers.Receipt | DeliveryError]) -> Counter:
    """Write every outcome: accepted rows in one statement, failures through the retry policy."""
    table, now, outcomes = SmsMessage.__table__, clock.now(), Counter()
    accepted = [{"b_id": row_id, "b_state": "delivered" if receipt.delivered else "sent",
                 "b_provider": receipt.provider, "b_message_id": receipt.message_id,
                 "b_delivered_at": now if receipt.delivered else None}
                for row_id, receipt in results.items() if isinstance(receipt, sms_providers.Receipt)]
    if accepted:
        statement = (update(table).where(table.c.id == bindparam("b_id"), table.c.state == "sending")
                     .values(state=bindparam("b_state"), provider=bindparam("b_provider"),
                             provider_message_id=bindparam("b_message_id"), sent_at=now, last_error=None,
                             delivered_at=bindparam("b_delivered_at")))
        db.session.execute(statement, accepted)
        outcomes.update(row["b_state"] for row in accepted)
        sent = {row["b_id"] for row in accepted}
        details = db.session.execute(select(table.c.id, table.c.to_number, table.c.purpose, table.c.user_id)
                                     .where(table.c.id.in_(sent))).all()
        disclosures.sms_sent([(row_id, number, purpose, results[row_id].provider, user_id)
                              for row_id, number, purpose, user_id in details])
    for row_id, error in results.items():
        if isinstance(error, DeliveryError):
            outcomes[delivery.record_failure(db.session.get(SmsMessage, row_id), error, delivery.SMS_POLICY)] += 1
    db.session.flush()
    return outcomes


def deliver_sms_batch(first_id: int, last_id: int) -> Counter:
    claimed = claim_range(first_id, last_id)
    if not claimed:
        return Counter(skipped=1)
    results = send_all(claimed)
    return _committed(lambda: record_results(results))
