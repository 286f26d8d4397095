"""Contacts: search, sorted keyset pages, edits. Every query is tenant-scoped by webapp.tenancy."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import joinedload

from webapp.crm.models import Company, Contact
from webapp.extensions import db

PAGE_SIZE = 50
SORTS = {
    "name": ((Contact.last_name, Contact.first_name, Contact.id), False),
    "newest": ((Contact.created_at, Contact.id), True),
}


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None
    sort: str
    query: str


def _encode(values: tuple) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str | None, sort: str) -> tuple | None:
    if not cursor or len(cursor) > 500:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    columns, _desc = SORTS[sort]
    if not isinstance(values, list) or len(values) != len(columns):
        return None
    if sort == "newest":
        from datetime import datetime

        try:
            values[0] = datetime.fromisoformat(values[0])
        except (TypeError, ValueError):
            return None
    return tuple(values)


def _matches(query: str):
    term = query.strip().lower()[:100]
    if not term:
        return None
    like = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    digits = "".join(ch for ch in term if ch.isdigit())
    conditions = [db.func.lower(Contact.last_name).like(like, escape="\\"),
                  db.func.lower(Contact.first_name).like(like, escape="\\"),
                  db.func.lower(Contact.email).like(like, escape="\\"),
                  Contact.company_id.in_(select(Company.id).where(db.func.lower(Company.name).like(like, escape="\\")))]
    if len(digits) >= 3:
        conditions.append(Contact.phone.like(f"%{digits}%"))
    return or_(*conditions)


def list_contacts(query: str = "", sort: str = "name", cursor: str | None = None) -> Page:
    sort = sort if sort in SORTS else "name"
    columns, descending = SORTS[sort]
    statement = select(Contact).options(joinedload(Contact.company)).where(Contact.deleted_at.is_(None))
    condition = _matches(query)
    if condition is not None:
        statement = statement.where(condition)
    after = _decode(cursor, sort)
    if after is not None:
        key = tuple_(*columns)
        statement = statement.where(key < after if descending else key > after)
    order = [c.desc() if descending else c.asc() for c in columns]
    rows = list(db.session.scalars(statement.order_by(*order).limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_cursor = _encode(tuple(getattr(rows[-1], c.key) for c in columns)) if more else None
    return Page(rows, next_cursor, sort, query)


def get_contact(contact_id: int) -> Contact | None:
    contact = db.session.scalar(select(Contact).where(Contact.id == contact_id))
    return contact if contact is not None and contact.deleted_at is None else None


OPTIONAL_FIELDS = ("email", "phone")  # stored as NULL when empty; names as ""


def update_contact(contact: Contact, values: dict) -> Contact:
    for field in ("first_name", "last_name", *OPTIONAL_FIELDS):
        if field in values:
            empty = None if field in OPTIONAL_FIELDS else ""
            setattr(contact, field, values[field] or empty)
    db.session.flush()
    return contact


def create_contact(values: dict) -> Contact:
    contact = Contact(first_name=values.get("first_name") or "", last_name=values["last_name"],
                      email=values.get("email") or None, phone=values.get("phone") or None)
    db.session.add(contact)
    db.session.flush()
    return contact


def trash_contacts(ids: list[int]) -> int:
    """Move contacts to the trash (audited, restorable as one batch)."""
    from webapp.audit import services as audit

    return audit.trash(Contact, ids)
