"""What an export reads: the columns of each entity, the filter, and rows in keyset batches.

Every statement is tenant-scoped by ``webapp.tenancy`` (the job runs inside ``tenancy.scoped``).
Rows come ``BATCH_SIZE`` at a time, ordered by id, each batch starting after the last id of the
previous one: memory stays bounded however large the table is, and no OFFSET scan grows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, or_, select

from webapp.crm.models import Company, Contact
from webapp.extensions import db

BATCH_SIZE = 5000
SEARCH_MAX = 100


@dataclass(frozen=True)
class Entity:
    name: str  # "contacts": also the XML root element
    row_tag: str  # "contact": one XML element per row
    model: type
    columns: tuple[str, ...]
    phone_columns: tuple[str, ...] = ()


ENTITIES = {
    "contacts": Entity("contacts", "contact", Contact,
                       ("id", "first_name", "last_name", "email", "phone", "company", "created_at"), ("phone",)),
    "companies": Entity("companies", "company", Company, ("id", "name", "city", "country", "created_at")),
}


def _columns(entity: Entity) -> Select:
    if entity.model is Contact:
        return (select(Contact.id, Contact.first_name, Contact.last_name, Contact.email, Contact.phone,
                       Company.name, Contact.created_at)
                .outerjoin(Company, Contact.company_id == Company.id))
    return select(Company.id, Company.name, Company.city, Company.country, Company.created_at)


def _prefix(column, term: str) -> ColumnElement:
    like = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return func.lower(column).like(like, escape="\\")


def conditions(entity: Entity, filters: dict) -> list[ColumnElement]:
    """The WHERE clauses of a filter: ``search`` (name prefix), ``company_id``, ``include_trashed``."""
    model = entity.model
    found: list[ColumnElement] = []
    if not filters.get("include_trashed"):
        found.append(model.deleted_at.is_(None))
    term = str(filters.get("search") or "").strip().lower()[:SEARCH_MAX]
    if term and model is Contact:
        found.append(or_(_prefix(Contact.last_name, term), _prefix(Contact.first_name, term),
                         _prefix(Contact.email, term)))
    elif term:
        found.append(or_(_prefix(Company.name, term), _prefix(Company.city, term)))
    if model is Contact and filters.get("company_id"):
        found.append(Contact.company_id == int(filters["company_id"]))
    return found


def count(entity: Entity, filters: dict) -> int:
    model = entity.model
    return db.session.scalar(select(func.count(model.id)).where(*conditions(entity, filters))) or 0


def batches(entity: Entity, filters: dict, size: int | None = None) -> Iterator[list[tuple]]:
    """Lists of row tuples (in ``entity.columns`` order), ``size`` at a time, by ascending id."""
    model, size = entity.model, size or BATCH_SIZE
    statement = _columns(entity).where(*conditions(entity, filters)).order_by(model.id).limit(size)
    last_id = 0
    while True:
        rows = [tuple(row) for row in db.session.execute(statement.where(model.id > last_id))]
        if not rows:
            return
        yield rows
        last_id = rows[-1][0]
        if len(rows) < size:
            return
