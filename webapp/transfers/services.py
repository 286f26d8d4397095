"""Writing and reading the transfer log. Sending code calls ``record`` (or ``record_many``) in the
transaction that marks the message sent, so the log and the sends cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, or_, select

from webapp import clock
from webapp.extensions import db
from webapp.transfers.models import BASES, RECIPIENT_KINDS, Transfer

PAGE = 100


@dataclass(frozen=True)
class Disclosure:
    recipient: str
    recipient_kind: str
    legal_basis: str
    purpose: str
    data_description: str
    subject_email: str | None = None
    subject_phone: str | None = None
    subject_user_id: int | None = None
    reference: str | None = None
    at: datetime | None = None
    recorded_by_id: int | None = None
    extra: dict = field(default_factory=dict)

    def row(self) -> dict:
        if self.recipient_kind not in RECIPIENT_KINDS or self.legal_basis not in BASES:
            raise ValueError(f"unknown recipient kind or legal basis: {self.recipient_kind}, {self.legal_basis}")
        if not (self.subject_email or self.subject_phone or self.subject_user_id):
            raise ValueError("a transfer names the person it concerns")
        return {"at": self.at or clock.now(), "recipient": self.recipient[:200], "recipient_kind": self.recipient_kind,
                "legal_basis": self.legal_basis, "purpose": self.purpose[:60],
                "data_description": self.data_description[:300],
                "subject_email": (self.subject_email or "").lower() or None, "subject_phone": self.subject_phone,
                "subject_user_id": self.subject_user_id, "reference": self.reference,
                "recorded_by_id": self.recorded_by_id}


def record_many(disclosures: list[Disclosure]) -> int:
    """One INSERT for many disclosures; ones already logged under their reference are skipped."""
    rows = [disclosure.row() for disclosure in disclosures]
    references = [row["reference"] for row in rows if row["reference"]]
    if references:
        seen = set(db.session.scalars(select(Transfer.reference).where(Transfer.reference.in_(references))))
        rows = [row for row in rows if not row["reference"] or row["reference"] not in seen]
    if rows:
        db.session.execute(insert(Transfer), rows)
    return len(rows)


def record(disclosure: Disclosure) -> int:
    return record_many([disclosure])


def for_person(email: str | None = None, phone: str | None = None, user_id: int | None = None) -> list[Transfer]:
    """Everything disclosed about one person, newest first (for the access report)."""
    conditions = []
    if email:
        conditions.append(Transfer.subject_email == email.lower())
    if phone:
        conditions.append(Transfer.subject_phone == phone)
    if user_id:
        conditions.append(Transfer.subject_user_id == user_id)
    if not conditions:
        return []
    return list(db.session.scalars(select(Transfer).where(or_(*conditions))
                                   .order_by(Transfer.at.desc(), Transfer.id.desc())))


def listing(recipient: str = "", person: str = "", before_id: int | None = None) -> list[Transfer]:
    stmt = select(Transfer).order_by(Transfer.id.desc()).limit(PAGE)
    if recipient:
        stmt = stmt.where(Transfer.recipient.ilike(f"%{recipient[:100]}%", escape="\\"))
    if person:
        needle = person.strip().lower()[:254]
        stmt = stmt.where(or_(Transfer.subject_email == needle, Transfer.subject_phone == person.strip()[:32]))
    if before_id:
        stmt = stmt.where(Transfer.id < before_id)
    return list(db.session.scalars(stmt))
