"""Custom fields in exports: one column per active field (``cf_<key>``), values added per batch.

The export (``webapp.exports.producer``) widens its entity with ``extend`` and passes each keyset
batch through ``add_values``: one query per batch reads the batch's values (by record id, indexed),
so memory stays bounded. Cells are written by the export's writers, which neutralise formulas.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from sqlalchemy import select

from webapp.customfields import services
from webapp.customfields.models import CustomFieldValue
from webapp.extensions import db

COLUMN_PREFIX = "cf_"


def _fields(entity):
    return services.fields(entity.row_tag) if entity.row_tag in services.RECORD_COLUMNS else []


def extend(entity):
    """The entity with one more column per active custom field of its record type."""
    fields = _fields(entity)
    if not fields:
        return entity
    names = tuple(COLUMN_PREFIX + field.key for field in fields)
    phones = tuple(COLUMN_PREFIX + field.key for field in fields if field.field_type == "phone")
    return dataclasses.replace(entity, columns=entity.columns + names, phone_columns=entity.phone_columns + phones)


def add_values(entity, rows: list[tuple]) -> list[tuple]:
    """The batch's rows (id first) with their custom values appended, in ``extend``'s column order."""
    fields = _fields(entity)
    if not fields or not rows:
        return rows
    column = getattr(CustomFieldValue, services.RECORD_COLUMNS[entity.row_tag])
    ids = [row[0] for row in rows]
    values: dict[tuple[int, int], object] = {}
    statement = select(CustomFieldValue).where(column.in_(ids), CustomFieldValue.field_id.in_([f.id for f in fields]))
    for value in db.session.scalars(statement):
        values[(getattr(value, column.key), value.field_id)] = _plain(value.value)
    return [tuple(row) + tuple(values.get((row[0], field.id)) for field in fields) for row in rows]


def _plain(value):
    """Decimal("100.0000") -> Decimal("100"), Decimal("2.5000") -> Decimal("2.5") (never "1E+2")."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return value
