"""TOTP (RFC 6238) with pyotp: secrets encrypted at rest, each time step usable once."""

from __future__ import annotations

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import select

from webapp import clock
from webapp.crypto import decrypt, encrypt, same
from webapp.extensions import db
from webapp.twofactor.models import TotpCredential

ISSUER = "Bizalom"
VALID_WINDOW = 1  # one step (30 s) of clock drift either way


def credential(user_id: int) -> TotpCredential | None:
    return db.session.scalar(select(TotpCredential).where(TotpCredential.user_id == user_id))


def is_enrolled(user_id: int) -> bool:
    row = credential(user_id)
    return row is not None and row.confirmed_at is not None


def begin_enrolment(user_id: int) -> str:
    """A new, unconfirmed secret (replacing an unconfirmed one); returns it for display."""
    row = credential(user_id)
    if row is not None and row.confirmed_at is not None:
        raise ValueError("TOTP is already set up; remove it first")
    secret = pyotp.random_base32()
    if row is None:
        row = TotpCredential(user_id=user_id, secret_encrypted=encrypt(secret), last_used_step=0)
        db.session.add(row)
    else:
        row.secret_encrypted = encrypt(secret)
    db.session.flush()
    return secret


def pending_secret(user_id: int) -> str | None:
    row = credential(user_id)
    return decrypt(row.secret_encrypted) if row is not None and row.confirmed_at is None else None


def provisioning_uri(secret: str, account_name: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The QR code as inline SVG (no external image, no inline style: fits the CSP)."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, dark="#1c2430", light="#ffffff"))  # noqa: S704


def _matching_step(secret: str, code: str, after_step: int) -> int | None:
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(clock.now())
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if step > after_step and same(totp.generate_otp(step), code):
            return step
    return None


def verify(user_id: int, code: str, *, confirming: bool = False) -> bool:
    """Check a code; the step it matched is burnt, so the same code cannot be replayed."""
    code = "".join(ch for ch in code if ch.isdigit())
    row = credential(user_id)
    if row is None or len(code) != 6 or (row.confirmed_at is None) != confirming:
        return False
    step = _matching_step(decrypt(row.secret_encrypted), code, row.last_used_step)
    if step is None:
        return False
    row.last_used_step = step
    if confirming:
        row.confirmed_at = clock.now()
    db.session.flush()
    return True


def remove(user_id: int) -> None:
    row = credential(user_id)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
