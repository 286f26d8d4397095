"""Recording the legal basis of each purpose over time (GDPR Art. 6(1)), as a ledger that never rewrites history.

Purposes are independent: withdrawing the newsletter consent ends only the ``newsletter`` entry, and
the ``contract`` entry of a subscriber runs on untouched.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from webapp import clock
from webapp.extensions import db
from webapp.legalbasis.models import BASES, PURPOSES, LegalBasisEntry


def in_force(lead_id: int, purpose: str, at: datetime | None = None) -> LegalBasisEntry | None:
    at = at or clock.now()
    return db.session.scalars(
        select(LegalBasisEntry).where(LegalBasisEntry.lead_id == lead_id, LegalBasisEntry.purpose == purpose,
                                      LegalBasisEntry.started_at <= at,
                                      (LegalBasisEntry.ended_at.is_(None)) | (LegalBasisEntry.ended_at > at))
        .order_by(LegalBasisEntry.started_at.desc(), LegalBasisEntry.id.desc()).limit(1)).first()


def set_basis(lead_id: int, purpose: str, basis: str, reason: str) -> LegalBasisEntry:
    """From now on ``purpose`` rests on ``basis``; an open entry with another basis is ended."""
    if purpose not in PURPOSES or basis not in BASES:
        raise ValueError(f"unknown purpose or basis: {purpose!r}, {basis!r}")
    current = _open(lead_id, purpose)
    if current is not None and current.basis == basis:
        return current
    now = clock.now()
    if current is not None:
        current.ended_at, current.end_reason = now, f"replaced:{reason}"[:60]
        db.session.flush()
    entry = LegalBasisEntry(lead_id=lead_id, purpose=purpose, basis=basis, started_at=now, reason=reason[:60])
    db.session.add(entry)
    db.session.flush()
    return entry


def end_basis(lead_id: int, purpose: str, reason: str) -> bool:
    """The purpose no longer has any basis (e.g. consent withdrawn); False if none was in force."""
    current = _open(lead_id, purpose)
    if current is None:
        return False
    current.ended_at, current.end_reason = clock.now(), reason[:60]
    db.session.flush()
    return True


def history(lead_id: int) -> list[LegalBasisEntry]:
    return list(db.session.scalars(select(LegalBasisEntry).where(LegalBasisEntry.lead_id == lead_id)
                                   .order_by(LegalBasisEntry.started_at, LegalBasisEntry.id)))


def _open(lead_id: int, purpose: str) -> LegalBasisEntry | None:
    return db.session.scalars(select(LegalBasisEntry).where(
        LegalBasisEntry.lead_id == lead_id, LegalBasisEntry.purpose == purpose,
        LegalBasisEntry.ended_at.is_(None))).first()
