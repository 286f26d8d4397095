"""Automatic capture: session hooks write the audit rows, so no route can forget them.

- ``after_flush``: every flushed insert, update and delete of an audited model becomes one row
  (actor, ``clock.now()``, tenant, record type and id, action, ``{field: [before, after]}``).
  An update that moves ``deleted_at`` from NULL to a time is a ``trash``, back to NULL a
  ``restore``; a unit-of-work delete (``session.delete``) is an ``erase`` and removes the values
  from that record's earlier rows.
- bulk UPDATE and DELETE statements are audited (or refused) by ``webapp.audit.bulk``.
- ``before_flush``: audit rows added, changed or deleted through the ORM are refused (only this
  module writes them; append-only, also by triggers); before a record is deleted its children
  are unlinked with audit rows (rather than silently by ``ON DELETE SET NULL``).

Rows are inserted with Core on the flushing connection: they commit or roll back with the change.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import event, insert, inspect, null, update
from sqlalchemy.orm import Session

from webapp import clock
from webapp.audit import context, registry
from webapp.audit.models import AuditEntry

AUDITED = "audited"
LOG = AuditEntry.__table__


class AuditImmutableError(RuntimeError):
    """Audit rows are append-only."""


def plain(value):
    """A JSON-safe copy of a column value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)  # Decimal, UUID and the like


def stamp(session: Session) -> dict:
    """Time and actor shared by the rows written now."""
    who = context.current_actor(session) or context.fallback_actor() or context.Actor()
    return {"occurred_at": clock.now(), "actor_user_id": who.user_id, "actor_job": who.job}


def row(base: dict, spec: registry.Spec, record_id: int, action: str, changes: dict | None, **extra) -> dict:
    return {**base, "record_type": spec.name, "record_id": record_id, "action": action, "changes": changes,
            "batch_id": None, "via": None, "note": None, **extra}


def write(session: Session, rows: list[dict]) -> None:
    if rows:
        session.connection().execute(insert(LOG), rows)


def redact(session: Session, tenant_id: int, spec: registry.Spec, ids: list[int]) -> None:
    """Remove the values from the history of deleted records (the one UPDATE the guard allows)."""
    if ids:
        session.connection().execute(
            update(LOG).where(LOG.c.tenant_id == tenant_id, LOG.c.record_type == spec.name,
                              LOG.c.record_id.in_(ids), LOG.c.changes.is_not(None)).values(changes=null()))


def _created(spec: registry.Spec, state) -> dict:
    values = {key: plain(state.dict.get(key)) for key in spec.fields}
    return {key: [None, value] for key, value in values.items() if value is not None}


def _changed(spec: registry.Spec, state) -> dict:
    changes = {}
    for key in spec.fields:
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = plain(history.deleted[0]) if history.deleted else None
        after = plain(history.added[0]) if history.added else None
        if before != after:
            changes[key] = [before, after]
    return changes


def update_action(changes: dict) -> str:
    before, after = changes.get("deleted_at", ("same", "same"))
    if before is None and after is not None:
        return "trash"
    if before is not None and after is None:
        return "restore"
    return "update"


def _flushed_rows(session: Session, base: dict) -> tuple[list[dict], list]:
    rows, erased = [], []
    for obj in session.new:
        if (spec := registry.spec_of(obj)) is not None:
            state = inspect(obj)
            rows.append(row(base, spec, obj.id, "create", _created(spec, state), tenant_id=obj.tenant_id))
    for obj in session.dirty:
        if (spec := registry.spec_of(obj)) is not None and (changes := _changed(spec, inspect(obj))):
            rows.append(row(base, spec, obj.id, update_action(changes), changes, tenant_id=obj.tenant_id))
    for obj in session.deleted:
        if (spec := registry.spec_of(obj)) is not None:
            rows.append(row(base, spec, obj.id, "erase", None, tenant_id=obj.tenant_id))
            erased.append((obj.tenant_id, spec, obj.id))
    return sorted(rows, key=lambda r: (r["record_type"], r["record_id"])), erased


def _after_flush(session: Session, _flush_context) -> None:
    if not any(registry.spec_of(obj) for obj in (*session.new, *session.dirty, *session.deleted)):
        return
    rows, erased = _flushed_rows(session, stamp(session))
    for tenant_id, spec, record_id in erased:
        redact(session, tenant_id, spec, [record_id])
    write(session, rows)


def _before_flush(session: Session, _context, _instances) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry):
            raise AuditImmutableError("audit rows are written only by webapp.audit and never changed")
    for obj in list(session.deleted):  # children are unlinked with audit rows, not by ON DELETE SET NULL
        if (spec := registry.spec_of(obj)) is not None and registry.children_of(spec):
            from webapp.audit import purge, trash

            purge.unlink_children(spec, [obj.id], trash.Operation.start("erase"))


def install() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
