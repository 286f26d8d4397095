"""Filter and sort a record list by custom fields, in SQL, keyset-paged.

Query parameters (``key`` is the field's key):

- ``cf.<key>``: text, e-mail, phone, URL: contains (ignoring case); choice, number, date: equals;
- ``cf.<key>.eq``: text equals (ignoring case); ``cf.<key>.min`` / ``cf.<key>.max``: number and
  date ranges (inclusive);
- ``sort=cf:<key>`` or ``sort=cf:<key>:desc``: by the field's value, empty values last, then id.

Each filter is an EXISTS on ``custom_field_values`` (its indexes start with tenant, field, value);
the sort is an outer join on the same table. Nothing is filtered or sorted in Python.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, select, tuple_
from sqlalchemy.orm import aliased

from webapp.customfields import services, validation
from webapp.customfields.models import CustomField, CustomFieldValue
from webapp.extensions import db

PREFIX = "cf."
SORT_PREFIX = "cf:"
VALUE_COLUMNS = {"number": "number_value", "date": "date_value"}
CONTAINS_TYPES = ("text", "email", "phone", "url")
FILTER_MAX = 100


@dataclass(frozen=True)
class Criterion:
    field: CustomField
    op: str  # contains, eq, min, max
    value: object


@dataclass
class ListQuery:
    filters: list[Criterion] = field(default_factory=list)
    sort_field: CustomField | None = None
    descending: bool = False
    params: dict[str, str] = field(default_factory=dict)  # the cf.* parameters, for links
    errors: list[tuple[CustomField, str]] = field(default_factory=list)
    fields: list[CustomField] = field(default_factory=list)
    sort: str = ""


def value_column(model, definition: CustomField):
    return getattr(model, VALUE_COLUMNS.get(definition.field_type, "text_value"))


def _typed(definition: CustomField, op: str, raw: str):
    if op == "contains" or (op == "eq" and definition.field_type in CONTAINS_TYPES):
        if validation.has_controls(raw):
            raise validation.Invalid("control_chars")
        return raw[:FILTER_MAX]
    if definition.field_type == "choice":
        return validation.parse_choice(raw, definition.choice_list)
    return validation.parse_value(definition.field_type, raw)


def _ops(definition: CustomField) -> tuple[tuple[str, str], ...]:
    base = PREFIX + definition.key
    plain_op = "contains" if definition.field_type in CONTAINS_TYPES else "eq"
    ops = [(base, plain_op)]
    if definition.field_type in CONTAINS_TYPES:
        ops.append((base + ".eq", "eq"))
    if definition.field_type in ("number", "date"):
        ops += [(base + ".min", "min"), (base + ".max", "max")]
    return tuple(ops)


def from_args(args, entity: str = "contact") -> ListQuery:
    """Read the cf.* filters and a cf: sort from the query string (unknown or bad ones are ignored,
    bad values reported in ``errors``)."""
    query = ListQuery(fields=services.fields(entity))
    for definition in query.fields:
        for name, op in _ops(definition):
            raw = (args.get(name) or "").strip()
            if not raw:
                continue
            query.params[name] = raw[:FILTER_MAX]
            try:
                query.filters.append(Criterion(definition, op, _typed(definition, op, raw)))
            except validation.Invalid as exc:
                query.errors.append((definition, validation.message(exc.code, exc.params)))
    sort = args.get("sort") or ""
    if sort.startswith(SORT_PREFIX):
        key, _sep, direction = sort[len(SORT_PREFIX):].partition(":")
        query.sort_field = next((d for d in query.fields if d.key == key), None)
        query.descending = direction == "desc"
        if query.sort_field is not None:
            query.sort = f"{SORT_PREFIX}{key}{':desc' if query.descending else ''}"
    return query


def _like(term: str) -> str:
    return "%" + term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _condition(criterion: Criterion, v):
    d, value = criterion.field, criterion.value
    column = value_column(v, d)
    if criterion.op == "contains":
        if d.field_type == "phone" and (digits := "".join(ch for ch in value if ch.isdigit())):
            return column.like(_like(digits.lstrip("0")), escape="\\")
        return func.lower(column).like(_like(value), escape="\\")
    if criterion.op == "eq" and d.field_type in CONTAINS_TYPES:
        return func.lower(column) == value.lower()
    if criterion.op == "min":
        return column >= value
    if criterion.op == "max":
        return column <= value
    return column == value


def filtered(statement, model, query: ListQuery, entity: str = "contact"):
    """``statement`` with one EXISTS per filtered field (all its conditions on one value row). The
    field the list is sorted by is filtered on the sort's own join instead (``sorted_page``)."""
    by_field: dict[int, list[Criterion]] = {}
    for criterion in query.filters:
        if criterion.field is not query.sort_field:
            by_field.setdefault(criterion.field.id, []).append(criterion)
    for field_id, criteria in by_field.items():
        v = aliased(CustomFieldValue)
        record = getattr(v, services.RECORD_COLUMNS[entity])
        statement = statement.where(select(v.id).where(record == model.id, v.field_id == field_id,
                                                       *(_condition(c, v) for c in criteria)).exists())
    return statement


def _encode(values: list) -> str:
    plain = [str(v) if isinstance(v, Decimal) else v.isoformat() if isinstance(v, date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str | None, definition: CustomField) -> tuple | None:
    if not cursor or len(cursor) > 3000:
        return None
    try:
        empty, value, record_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(record_id, int) or empty not in (0, 1):
            return None
        if empty:
            return 1, None, record_id
        if definition.field_type == "number":
            value = Decimal(str(value))
        elif definition.field_type == "date":
            value = date.fromisoformat(value)
        elif not isinstance(value, str):
            return None
    except (ValueError, TypeError, ArithmeticError, UnicodeDecodeError):
        return None
    return 0, value, record_id


def _later(descending: bool):
    return (lambda a, b: a < b) if descending else (lambda a, b: a > b)


def sorted_page(statement, model, query: ListQuery, cursor: str | None, size: int, entity: str = "contact"):
    """One page sorted by the custom field: (records, next cursor or None).

    Two phases, each able to walk an index: first the records that have a value (an inner join,
    ordered by value and record id, i.e. ``ix_custom_field_values_<type>``), then those without
    one (NOT EXISTS, by id). The cursor says which phase it is in."""
    d, later = query.sort_field, _later(query.descending)
    after = _decode(cursor, d)
    rows: list[tuple] = []
    if after is None or not after[0]:
        v = aliased(CustomFieldValue)
        column, record = value_column(v, d), getattr(v, services.RECORD_COLUMNS[entity])
        own = [_condition(c, v) for c in query.filters if c.field is d]
        valued = statement.join(v, and_(record == model.id, v.field_id == d.id)).where(*own).add_columns(column)
        if after is not None:
            valued = valued.where(later(tuple_(column, record), (after[1], after[2])))
        order = [column.desc(), record.desc()] if query.descending else [column.asc(), record.asc()]
        rows = [tuple(row) for row in db.session.execute(valued.order_by(*order).limit(size + 1))]
    if len(rows) <= size and not any(c.field is d for c in query.filters):  # a filtered field has a value
        v = aliased(CustomFieldValue)
        record = getattr(v, services.RECORD_COLUMNS[entity])
        empty = statement.where(~select(v.id).where(record == model.id, v.field_id == d.id).exists())
        if after is not None and after[0]:
            empty = empty.where(later(model.id, after[2]))
        order = model.id.desc() if query.descending else model.id.asc()
        rows += [(row, None) for row in db.session.scalars(empty.order_by(order).limit(size + 1 - len(rows)))]
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if more:
        last, value = rows[-1]
        next_cursor = _encode([1 if value is None else 0, value, last.id])
    return [row[0] for row in rows], next_cursor


def sort_options(entity: str = "contact") -> list[tuple[str, str]]:
    """(sort value, label) pairs for the list's sort menu."""
    options = []
    for d in services.fields(entity):
        options.append((f"{SORT_PREFIX}{d.key}", d.label))
        options.append((f"{SORT_PREFIX}{d.key}:desc", f"{d.label} ↓"))
    return options


@dataclass(frozen=True)
class FilterInput:
    name: str
    label: str
    value: str
    definition: CustomField
    kind: str  # text, select, number, date


def filter_inputs(params: dict | None = None, entity: str = "contact") -> list[FilterInput]:
    """The inputs of the list's filter form (no JavaScript needed): one or two per active field."""
    from flask_babel import gettext as _

    params, inputs = params or {}, []
    for d in services.fields(entity):
        base = PREFIX + d.key
        if d.field_type == "choice":
            inputs.append(FilterInput(base, d.label, params.get(base, ""), d, "select"))
        elif d.field_type in ("number", "date"):
            bounds = ((".min", _("%(label)s from", label=d.label)), (".max", _("%(label)s to", label=d.label)))
            for suffix, label in bounds:
                inputs.append(FilterInput(base + suffix, label, params.get(base + suffix, ""), d, d.field_type))
        else:
            inputs.append(FilterInput(base, _("%(label)s contains", label=d.label), params.get(base, ""), d, "text"))
    return inputs
