"""Custom fields in contact imports: mapping targets, the same checks as the form, staging, writing.

The import (``webapp.imports``) calls these functions; a mapped custom field is the target key
``cf:<key>``. A checked value travels in the staged file as one JSON cell per row; after a batch of
contacts is inserted, its values are inserted set-based and written to each contact's audit trail.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from flask import has_app_context
from sqlalchemy import insert

from webapp import tenancy
from webapp.audit import capture, registry
from webapp.customfields import services, validation
from webapp.customfields.models import CustomFieldValue
from webapp.extensions import db

PREFIX = "cf:"
STAGED_KEY = "_custom_fields"  # the staged cell, carried in a row dict of the import's batch until its insert
ENTITY = "contact"
# the import's reason codes (webapp.imports.problems) where they mean the same; "required" there is the last name's
CODES = {"required": "field_required"}


def is_target(key: str) -> bool:
    return key.startswith(PREFIX)


def _by_target() -> dict[str, object]:
    if not has_app_context() or tenancy.current_tenant_id() is None:
        return {}
    return {PREFIX + field.key: field for field in services.fields(ENTITY)}


def choices() -> list[tuple[str, str]]:
    """(target key, label) of the tenant's active contact fields, for the mapping form."""
    return [(target, field.label) for target, field in _by_target().items()]


def suggest(header_key: str, normalise) -> str | None:
    """The target whose label or key matches a column header (compared as the import compares them)."""
    for target, field in _by_target().items():
        if header_key in (normalise(field.label), normalise(field.key)):
            return target
    return None


def check_cell(target: str, raw: str):
    """The typed value of one cell (None when empty or the field no longer exists), or the import's Invalid."""
    from webapp.imports.checks import Invalid

    field = _by_target().get(target)
    if field is None:
        return None
    try:
        return validation.parse(field, raw)
    except validation.Invalid as exc:
        raise Invalid(CODES.get(exc.code, exc.code), **exc.params) from exc


def reason(code: str, params: dict) -> str | None:
    """The words for a custom field's reason code in a rejection report (None: not ours)."""
    code = {value: key for key, value in CODES.items()}.get(code, code)
    return validation.message(code, params) if code in validation.CODES else None


def staged_cell(values: dict) -> str:
    """The custom values of one checked row as one cell of the staged file ("" when none)."""
    found = {key: (str(value) if isinstance(value, Decimal) else value.isoformat() if isinstance(value, date)
                   else value) for key, value in values.items() if is_target(key) and value is not None}
    return json.dumps(found, ensure_ascii=False, sort_keys=True) if found else ""


def _typed(field, text: str):
    if field.field_type == "number":
        return Decimal(text)
    if field.field_type == "date":
        return date.fromisoformat(text)
    return text


def write_values(contact_ids: list[int], cells: list[str]) -> int:
    """Insert the staged custom values of freshly inserted contacts (same order); returns how many."""
    by_target = _by_target()
    rows, changes = [], []
    tenant_id = tenancy.current_tenant_id()
    for contact_id, cell in zip(contact_ids, cells, strict=True):
        if not cell:
            continue
        audited = {}
        for target, text in json.loads(cell).items():
            field = by_target.get(target)
            if field is None:
                continue
            value = _typed(field, text)
            rows.append({"tenant_id": tenant_id, "field_id": field.id, "field_type": field.field_type,
                         "entity": ENTITY, "contact_id": contact_id,
                         **services.value_columns(field.field_type, value)})
            audited[field.label] = [None, services.plain(value)]
        if audited:
            changes.append((contact_id, audited))
    if rows:
        db.session.execute(insert(CustomFieldValue), rows)
        _audit(changes)
    return len(rows)


def _audit(changes: list[tuple[int, dict]]) -> None:
    from webapp.crm.models import Contact

    spec, session = registry.spec_for(Contact), db.session()
    base, tenant_id = capture.stamp(session), tenancy.current_tenant_id()
    capture.write(session, [capture.row(base, spec, contact_id, "update", audited, tenant_id=tenant_id)
                            for contact_id, audited in changes])


def unmapped_required(mapping: list[str]) -> list[str]:
    """Labels of the required custom fields no column is mapped to (every imported row needs them)."""
    chosen = set(mapping)
    return [field.label for target, field in _by_target().items() if field.required and target not in chosen]
