"""Contacts: search, sorted keyset pages, edits. Every query is tenant-scoped by webapp.tenancy."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import joinedload

from webapp.crm import search
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
    custom: dict = dataclass_field(default_factory=dict)  # custom-field filter parameters (webapp.customfields.listing)
    custom_errors: list = dataclass_field(default_factory=list)


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
    # ILIKE (SQLite: lower() LIKE lower()) so PostgreSQL can use the trigram GIN indexes of migration 0014
    conditions = [Contact.last_name.ilike(like, escape="\\"),
                  Contact.first_name.ilike(like, escape="\\"),
                  Contact.email.ilike(like, escape="\\"),
                  Contact.company_id.in_(select(Company.id).where(Company.name.ilike(like, escape="\\")))]
    if len(digits) >= 3:
        conditions.append(Contact.phone.like(f"%{digits}%"))
    return or_(*conditions)


def list_contacts(query: str = "", sort: str = "name", cursor: str | None = None, custom=None) -> Page:
    from webapp.customfields import listing  # filters and sort by custom fields, in SQL

    custom = custom or listing.ListQuery()
    sort = custom.sort or (sort if sort in SORTS else "name")
    columns, descending = SORTS.get(sort, SORTS["name"])
    statement = select(Contact).options(joinedload(Contact.company)).where(Contact.deleted_at.is_(None))
    condition = _matches(query)
    fast_search = condition is not None and not custom.filters and custom.sort_field is None
    if condition is not None and not fast_search:
        statement = statement.where(condition)
    statement = listing.filtered(statement, Contact, custom)
    if custom.sort_field is not None:
        rows, next_cursor = listing.sorted_page(statement, Contact, custom, cursor, PAGE_SIZE)
        return Page(rows, next_cursor, sort, query, custom.params, custom.errors)
    after = _decode(cursor, sort)
    if fast_search:  # the page's candidates (each one matches): see webapp.crm.search
        statement = statement.where(Contact.id.in_(search.candidates(query, columns, descending, after, PAGE_SIZE + 1)))
    if after is not None:
        key = tuple_(*columns)
        statement = statement.where(key < after if descending else key > after)
    order = [c.desc() if descending else c.asc() for c in columns]
    rows = list(db.session.scalars(statement.order_by(*order).limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_cursor = _encode(tuple(getattr(rows[-1], c.key) for c in columns)) if more else None
    return Page(rows, next_cursor, sort, query, custom.params, custom.errors)


def get_contact(contact_id: int) -> Contact | None:
    contact = db.session.scalar(select(Contact).where(Contact.id == contact_id))
    return contact if contact is not None and contact.deleted_at is None else None


OPTIONAL_FIELDS = ("email", "phone")  # stored as NULL when empty; names as ""


def update_contact(contact: Contact, values: dict) -> Contact:
    for field in ("first_name", "last_name", *OPTIONAL_FIELDS):
        if field in values:
            empty = None if field in OPTIONAL_FIELDS else ""
            setattr(contact, field, values[field] or empty)
    if "company_id" in values:
        contact.company_id = values["company_id"]
    db.session.flush()
    return contact


def create_contact(values: dict) -> Contact:
    contact = Contact(first_name=values.get("first_name") or "", last_name=values["last_name"],
                      email=values.get("email") or None, phone=values.get("phone") or None,
                      company_id=values.get("company_id"))
    db.session.add(contact)
    db.session.flush()
    return contact


def trash_contacts(ids: list[int]) -> int:
    """Move contacts to the trash (audited, restorable as one batch)."""
    from webapp.audit import services as audit

    return audit.trash(Contact, ids)
