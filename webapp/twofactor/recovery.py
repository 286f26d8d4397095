"""Ten single-use recovery codes, shown once; stored as lookup + argon2 hash of the secret part."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from webapp import clock
from webapp.extensions import db
from webapp.twofactor.models import RecoveryCode

COUNT = 10
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def _chunk(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def generate(user_id: int) -> list[str]:
    """Replace the user's codes with ten new ones and return them in clear (the only time)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = []
    for _ in range(COUNT):
        lookup, secret = _chunk(5), _chunk(10)
        db.session.add(RecoveryCode(user_id=user_id, lookup=lookup, secret_hash=_hasher.hash(secret)))
        codes.append(f"{lookup}-{secret[:5]}-{secret[5:]}")
    db.session.flush()
    return codes


def remaining(user_id: int) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))) or 0


def use(user_id: int, code: str) -> bool:
    """Accept a code once; a second use of the same code is refused."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != 15:
        return False
    lookup, secret = cleaned[:5], cleaned[5:]
    row = db.session.scalar(select(RecoveryCode).where(RecoveryCode.lookup == lookup,
                                                       RecoveryCode.user_id == user_id))
    if row is None or row.used_at is not None:
        return False
    try:
        _hasher.verify(row.secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False
    row.used_at = clock.now()
    db.session.flush()
    return True
