"""SMS codes: six digits, stored as a keyed hash, valid five minutes, rate-limited, sent as a job."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from webapp import clock
from webapp.crypto import keyed_hash, same
from webapp.extensions import db
from webapp.twofactor.models import SmsCode

VALID_FOR = timedelta(minutes=5)
MAX_SENDS = 3
SEND_WINDOW = timedelta(minutes=15)
RESEND_AFTER = timedelta(seconds=30)
MAX_ATTEMPTS = 5


class SmsRateLimited(Exception):
    """Too many codes asked for; the message says when to try again."""


def _recent(user_id: int):
    return select(SmsCode).where(SmsCode.user_id == user_id, SmsCode.created_at > clock.now() - SEND_WINDOW)


def send_code(user_id: int, phone: str) -> SmsCode:
    recent = db.session.scalars(_recent(user_id).order_by(SmsCode.created_at.desc())).all()
    if len(recent) >= MAX_SENDS:
        raise SmsRateLimited(_("Too many codes were sent. Please wait 15 minutes or use another method."))
    if recent and clock.now() - recent[0].created_at < RESEND_AFTER:
        raise SmsRateLimited(_("A code was just sent. Please wait half a minute before asking again."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    db.session.execute(update(SmsCode).where(SmsCode.user_id == user_id, SmsCode.used_at.is_(None))
                       .values(used_at=clock.now()))
    row = SmsCode(user_id=user_id, code_hash=keyed_hash("sms-code", f"{user_id}:{code}"),
                  expires_at=clock.now() + VALID_FOR, attempts=0)
    db.session.add(row)
    db.session.flush()
    from webapp.messaging.services import queue_sms

    queue_sms(phone, _("Your Bizalom sign-in code: %(code)s. It is valid for 5 minutes.", code=code),
              purpose="2fa", user_id=user_id)
    return row


def verify(user_id: int, code: str) -> bool:
    code = "".join(ch for ch in code if ch.isdigit())
    row = db.session.scalar(select(SmsCode).where(SmsCode.user_id == user_id, SmsCode.used_at.is_(None))
                            .order_by(SmsCode.created_at.desc()))
    if row is None or row.expires_at <= clock.now() or row.attempts >= MAX_ATTEMPTS:
        return False
    row.attempts += 1
    ok = len(code) == 6 and same(row.code_hash, keyed_hash("sms-code", f"{user_id}:{code}"))
    if ok:
        row.used_at = clock.now()
    db.session.flush()
    return ok


def sent_recently(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(_recent(user_id).subquery())) or 0
