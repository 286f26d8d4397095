"""Messaging jobs: relay one e-mail, send one SMS, sweep the outboxes, purge old SMS texts.

The delivery functions commit each claim before the transport is called (see
``webapp.messaging.delivery``); the sweeps commit after each message so one slow or failing
message never holds back or undoes the others. The sweeps run every minute or half-minute from
``rq cron``, so they write no Task row (``track=False``).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable

from rq import Worker

from webapp.extensions import db
from webapp.messaging import batch, delivery, services
from webapp.messaging.models import OutboxEmail, SmsMessage
from workers.context import job, report_progress, worker_app

log = logging.getLogger("bizalom.messaging")
SWEEP_LIMIT = 200


@job
def relay_email(email_id: int) -> str:
    return delivery.deliver_email(int(email_id))


@job
def send_sms(sms_id: int) -> str:
    return delivery.deliver_sms(int(sms_id))


@job
def send_sms_batch(first_id: int, last_id: int) -> str:
    """Send every due SMS with an id in the range: one claim, pooled concurrent calls, one write."""
    outcomes = batch.deliver_sms_batch(int(first_id), int(last_id))
    return ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items()))


def _sweep(ids: list[int], deliver: Callable[[int], str]) -> str:
    outcomes: Counter[str] = Counter()
    for done, row_id in enumerate(ids, start=1):
        try:
            outcomes[deliver(row_id)] += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            outcomes["error"] += 1
            log.exception("delivery of %s failed unexpectedly", row_id)
        report_progress(done * 100 // len(ids), f"{done}/{len(ids)}")
    return ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items())) or "nothing due"


@job(track=False)  # runs every minute: no Task row each time
def relay_pending_email(limit: int = SWEEP_LIMIT) -> str:
    """Send every e-mail that is due: never dispatched (Redis was down), or waiting for a retry."""
    return _sweep(delivery.due_ids(OutboxEmail, delivery.EMAIL_POLICY, int(limit)), delivery.deliver_email)


@job(track=False)
def relay_pending_sms(limit: int = SWEEP_LIMIT) -> str:
    """Send every SMS that is due, including ones whose worker died mid-attempt."""
    return _sweep(delivery.due_ids(SmsMessage, delivery.SMS_POLICY, int(limit)), delivery.deliver_sms)


@job
def purge_sms_bodies() -> str:
    return f"purged {services.purge_sms_bodies()}"


class PreloadedWorker(Worker):
    """An ``rq worker`` that builds the app once, before forking: each job's work horse inherits it
    (imports, config, engine without open connections) instead of building it again per job.

    Use it for the ``messages`` queue: ``rq worker messages -w workers.messaging.PreloadedWorker``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with worker_app().app_context():
            db.engine.dispose()  # a fork must not share pooled connections with its parent
