"""Custom fields: the tenant's definitions and the values of one record.

Definitions: at most ``MAX_FIELDS`` active fields per entity; key and type never change once the
field has values (the values' composite foreign key refuses it as well). Values: saved per record,
one row per filled field, and the change is written to the record's own audit trail (a contact's
history shows "Priority: low -> high"), in the caller's transaction. Every query is tenant-scoped.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask import g
from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _
from sqlalchemy import select

from webapp import tenancy
from webapp.audit import capture, registry
from webapp.customfields.models import ENTITIES, TYPES, CustomField, CustomFieldValue
from webapp.extensions import db

MAX_FIELDS = 50
MAX_CHOICES = 100
CHOICE_MAX = 100
LABEL_MAX = 80
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
RECORD_COLUMNS = {"contact": "contact_id", "company": "company_id"}


class DefinitionError(ValueError):
    """A definition change that is not allowed; ``str()`` is the localized reason (lazy: also
    raised outside requests)."""


# -- definitions -----------------------------------------------------------------------------

def fields(entity: str, include_archived: bool = False) -> list[CustomField]:
    """The tenant's fields of ``entity`` in their order (cached for the request or job)."""
    cache = g.setdefault("_custom_fields", {})
    key = (tenancy.current_tenant_id(), entity, include_archived)
    if key not in cache:
        statement = select(CustomField).where(CustomField.entity == entity)
        if not include_archived:
            statement = statement.where(CustomField.archived.is_(False))
        cache[key] = list(db.session.scalars(statement.order_by(CustomField.position, CustomField.id)))
    return cache[key]


def forget_cache() -> None:
    g.pop("_custom_fields", None)


def get_field(field_id: int) -> CustomField | None:
    return db.session.scalar(select(CustomField).where(CustomField.id == field_id))


def has_values(field: CustomField) -> bool:
    return db.session.scalar(select(CustomFieldValue.id).where(CustomFieldValue.field_id == field.id).limit(1)) \
        is not None


def slug(text: str) -> str:
    """``"Contract end"`` -> ``"contract_end"`` (accents dropped), for a key proposal."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in plain if not unicodedata.combining(ch))
    plain = re.sub("_+", "_", plain).strip("_")
    if not plain or not plain[0].isalpha():
        plain = f"field_{plain}".strip("_")
    return plain[:40].rstrip("_")


def clean_choices(lines) -> list[str]:
    """One choice per line; blanks dropped, duplicates (ignoring case) refused."""
    items = [" ".join(line.split()) for line in (lines.splitlines() if isinstance(lines, str) else lines)]
    items = [item for item in items if item]
    if len(items) > MAX_CHOICES:
        raise DefinitionError(_("At most %(max)s choices are allowed.", max=MAX_CHOICES))
    if any(len(item) > CHOICE_MAX for item in items):
        raise DefinitionError(_("A choice can be at most %(max)s characters long.", max=CHOICE_MAX))
    if len({item.casefold() for item in items}) != len(items):
        raise DefinitionError(_("Each choice can be listed only once."))
    return items


def _check_choices(field_type: str, choices: list[str]) -> list[str] | None:
    if field_type != "choice":
        return None
    if not choices:
        raise DefinitionError(_("A choice field needs at least one choice."))
    return choices


def create_field(entity: str, key: str, label: str, field_type: str, choices=(), required: bool = False) -> CustomField:
    if entity not in ENTITIES or field_type not in TYPES:
        raise DefinitionError(_("Unknown record type or field type."))
    key, label = (key or slug(label)).strip(), " ".join((label or "").split())
    if not KEY_PATTERN.fullmatch(key):
        raise DefinitionError(_("The key must start with a letter and contain only a-z, 0-9 and _ (max. 40)."))
    if not label or len(label) > LABEL_MAX:
        raise DefinitionError(_("The label must be 1 to %(max)s characters long.", max=LABEL_MAX))
    existing = fields(entity, include_archived=True)
    if any(other.key == key for other in existing):
        raise DefinitionError(_("Another field already uses the key %(key)s.", key=key))
    if sum(1 for other in existing if not other.archived) >= MAX_FIELDS:
        raise DefinitionError(_("At most %(max)s active custom fields are allowed per record type.", max=MAX_FIELDS))
    position = max((other.position for other in existing), default=0) + 10
    field = CustomField(entity=entity, key=key, label=label, field_type=field_type, required=bool(required),
                        choices=_check_choices(field_type, clean_choices(choices)), position=position)
    db.session.add(field)
    db.session.flush()
    forget_cache()
    return field


def _choices_in_use(field: CustomField, kept: list[str]) -> list[str]:
    used = db.session.scalars(select(CustomFieldValue.text_value).where(CustomFieldValue.field_id == field.id)
                              .distinct())
    return sorted(set(used) - set(kept))


def update_field(field: CustomField, *, label: str, choices=(), required: bool = False, position: int | None = None,
                 key: str | None = None, field_type: str | None = None) -> CustomField:
    """Change a definition; key and type only while the field has no values."""
    label = " ".join((label or "").split())
    if not label or len(label) > LABEL_MAX:
        raise DefinitionError(_("The label must be 1 to %(max)s characters long.", max=LABEL_MAX))
    key = field.key if key is None else key.strip()
    field_type = field.field_type if field_type is None else field_type
    if (key != field.key or field_type != field.field_type) and has_values(field):
        raise DefinitionError(_("Key and type cannot change once records have values in this field."))
    if field_type not in TYPES:
        raise DefinitionError(_("Unknown record type or field type."))
    if not KEY_PATTERN.fullmatch(key):
        raise DefinitionError(_("The key must start with a letter and contain only a-z, 0-9 and _ (max. 40)."))
    if key != field.key and any(o.key == key for o in fields(field.entity, include_archived=True)):
        raise DefinitionError(_("Another field already uses the key %(key)s.", key=key))
    new_choices = _check_choices(field_type, clean_choices(choices))
    if new_choices is not None and (lost := _choices_in_use(field, new_choices)):
        raise DefinitionError(_("These choices are still in use: %(values)s.", values=", ".join(lost)))
    field.label, field.key, field.field_type, field.choices = label, key, field_type, new_choices
    field.required = bool(required)
    if position is not None:
        field.position = int(position)
    db.session.flush()
    forget_cache()
    return field


def set_archived(field: CustomField, archived: bool) -> CustomField:
    if not archived and not field.archived:
        return field
    if not archived and len(fields(field.entity)) >= MAX_FIELDS:
        raise DefinitionError(_("At most %(max)s active custom fields are allowed per record type.", max=MAX_FIELDS))
    field.archived = archived
    db.session.flush()
    forget_cache()
    return field


def move(field: CustomField, step: int) -> None:
    """Swap the field with its neighbour above (-1) or below (+1) and renumber the list."""
    ordered = fields(field.entity, include_archived=True)
    index = ordered.index(field)
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for number, each in enumerate(ordered, start=1):
        if each.position != number * 10:
            each.position = number * 10
    db.session.flush()
    forget_cache()


# -- values ----------------------------------------------------------------------------------

def values_of(entity: str, record_id: int) -> dict[int, object]:
    """field id -> typed value, for one record."""
    column = getattr(CustomFieldValue, RECORD_COLUMNS[entity])
    rows = db.session.scalars(select(CustomFieldValue).where(column == record_id))
    return {row.field_id: row.value for row in rows}


def plain(value):
    """A JSON-safe value for the audit trail: ``Decimal("1200.0000")`` -> ``"1200"``, dates in ISO."""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize())
    return capture.plain(value)


def display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value, format="#,##0.####")
    if isinstance(value, date):
        return format_date(value, "medium")
    return str(value)


def shown_values(entity: str, record_id: int) -> list[tuple[CustomField, str]]:
    """(field, value in words) of the active fields, for the record page (``—`` when empty)."""
    values = values_of(entity, record_id)
    return [(field, display(values.get(field.id)) or "—") for field in fields(entity)]


def value_columns(field_type: str, value) -> dict:
    empty = {"text_value": None, "number_value": None, "date_value": None}
    column = {"number": "number_value", "date": "date_value"}.get(field_type, "text_value")
    return {**empty, column: value}


def save_values(entity: str, record_id: int, values: dict[int, object]) -> dict:
    """Store ``{field id: typed value or None}`` for one record; returns the audited changes."""
    by_id = {field.id: field for field in fields(entity, include_archived=True)}
    column = getattr(CustomFieldValue, RECORD_COLUMNS[entity])
    current = {row.field_id: row for row in db.session.scalars(
        select(CustomFieldValue).where(column == record_id, CustomFieldValue.field_id.in_(list(values))))}
    changes = {}
    for field_id, value in values.items():
        field, row = by_id[field_id], current.get(field_id)
        before = row.value if row is not None else None
        if before == value:
            continue
        changes[field.label] = [plain(before), plain(value)]
        if value is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(CustomFieldValue(field_id=field.id, field_type=field.field_type, entity=entity,
                                            **{RECORD_COLUMNS[entity]: record_id},
                                            **value_columns(field.field_type, value)))
        else:
            for name, each in value_columns(field.field_type, value).items():
                setattr(row, name, each)
    db.session.flush()
    if changes:
        _audit(entity, record_id, changes)
    return changes


def _audit(entity: str, record_id: int, changes: dict) -> None:
    """One ``update`` row in the record's own history (contact or company), this transaction."""
    from webapp.crm.models import Company, Contact

    spec = registry.spec_for(Contact if entity == "contact" else Company)
    session = db.session()
    capture.write(session, [capture.row(capture.stamp(session), spec, record_id, "update", changes,
                                        tenant_id=tenancy.current_tenant_id())])
