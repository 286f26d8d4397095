"""Companies: search, sorted keyset pages, edits, linked contacts. Tenant-scoped by webapp.tenancy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, tuple_

from webapp.crm import keyset
from webapp.crm.models import Company, Contact
from webapp.extensions import db

PAGE_SIZE = 50
CHOICES = 20
CONTACTS_SHOWN = 200
SORTS = {
    "name": ((Company.name, Company.id), (str, int), False),
    "newest": ((Company.created_at, Company.id), (datetime, int), True),
}
FIELDS = ("name", "website", "phone", "street", "postcode", "city", "country")
OPTIONAL = frozenset(FIELDS) - {"name"}


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None
    sort: str
    query: str


def _like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _matches(query: str):
    term = query.strip().lower()[:100]
    if not term:
        return None
    like = _like(term)  # ILIKE: PostgreSQL's trigram indexes on name (0014) and city (0012) serve it
    return or_(Company.name.ilike(like, escape="\\"), Company.city.ilike(like, escape="\\"))


def list_companies(query: str = "", sort: str = "name", cursor: str | None = None) -> Page:
    sort = sort if sort in SORTS else "name"
    columns, types, descending = SORTS[sort]
    statement = select(Company).where(Company.deleted_at.is_(None))
    condition = _matches(query)
    if condition is not None:
        # matches first (trigram bitmap scans on PostgreSQL), then sorted: otherwise the planner walks
        # the name index and filters most of the table for a rare prefix
        matches = select(Company.id).where(condition).cte("company_matches").prefix_with("MATERIALIZED")
        statement = statement.where(Company.id.in_(select(matches.c.id)))
    after = keyset.decode(cursor, types)
    if after is not None:
        key = tuple_(*columns)
        statement = statement.where(key < after if descending else key > after)
    order = [c.desc() if descending else c.asc() for c in columns]
    rows = list(db.session.scalars(statement.order_by(*order).limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_cursor = keyset.encode(tuple(getattr(rows[-1], c.key) for c in columns)) if more else None
    return Page(rows, next_cursor, sort, query)


def get_company(company_id: int) -> Company | None:
    company = db.session.scalar(select(Company).where(Company.id == company_id))
    return company if company is not None and company.deleted_at is None else None


def _apply(company: Company, values: dict) -> None:
    for key in FIELDS:
        if key in values:
            value = (values[key] or "").strip()
            setattr(company, key, (value or None) if key in OPTIONAL else value)


def create_company(values: dict) -> Company:
    company = Company(name=values["name"].strip())
    _apply(company, values)
    db.session.add(company)
    db.session.flush()
    return company


def update_company(company: Company, values: dict) -> Company:
    _apply(company, values)
    db.session.flush()
    return company


def trash_companies(ids: list[int]) -> int:
    """Companies and their live contacts go to the trash as one batch (webapp.audit.trash)."""
    from webapp.audit import services as audit

    return audit.trash(Company, ids)


def contacts_of(company: Company) -> list[Contact]:
    return list(db.session.scalars(
        select(Contact).where(Contact.company_id == company.id, Contact.deleted_at.is_(None))
        .order_by(Contact.last_name, Contact.first_name, Contact.id).limit(CONTACTS_SHOWN)))


def _live_contact(contact_id: int) -> Contact | None:
    contact = db.session.scalar(select(Contact).where(Contact.id == contact_id))
    return contact if contact is not None and contact.deleted_at is None else None


def link_contact(company: Company, contact_id: int) -> Contact | None:
    contact = _live_contact(contact_id)
    if contact is not None:
        contact.company_id = company.id
        db.session.flush()
    return contact


def unlink_contact(company: Company, contact_id: int) -> Contact | None:
    contact = _live_contact(contact_id)
    if contact is not None and contact.company_id == company.id:
        contact.company_id = None
        db.session.flush()
        return contact
    return None


def choices(query: str, limit: int = CHOICES) -> list[Company]:
    """Live companies whose name starts with ``query`` (the company picker's suggestions)."""
    term = (query or "").strip().lower()[:100]
    statement = select(Company).where(Company.deleted_at.is_(None))
    if term:
        statement = statement.where(Company.name.ilike(_like(term), escape="\\"))
    return list(db.session.scalars(statement.order_by(Company.name, Company.id).limit(limit)))


def resolve(name: str | None) -> tuple[int | None, bool]:
    """The live company named exactly ``name`` (any case): (id, True); (None, True) when no name is
    given; (None, False) when no company, or more than one, has that name."""
    term = (name or "").strip()
    if not term:
        return None, True
    found = db.session.scalars(select(Company.id).where(Company.deleted_at.is_(None),
                                                        Company.name.ilike(_like(term)[:-1], escape="\\"))
                               .order_by(Company.id).limit(2)).all()
    return (found[0], True) if len(found) == 1 else (None, False)


def contact_choices(query: str, company: Company, limit: int = CHOICES) -> list[Contact]:
    """Live contacts not yet at ``company`` whose last name, first name or e-mail starts with ``query``."""
    term = (query or "").strip().lower()[:100]
    if not term:
        return []
    like = _like(term)
    return list(db.session.scalars(
        select(Contact).where(Contact.deleted_at.is_(None),
                              or_(Contact.company_id.is_(None), Contact.company_id != company.id),
                              or_(func.lower(Contact.last_name).like(like, escape="\\"),
                                  func.lower(Contact.first_name).like(like, escape="\\"),
                                  func.lower(Contact.email).like(like, escape="\\")))
        .order_by(Contact.last_name, Contact.first_name, Contact.id).limit(limit)))
