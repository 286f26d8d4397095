"""The audit trail and the trash: the public API other features use.

Recording is automatic (``webapp.audit.capture``); features call only:

``actor(user_id=..., job=...)``
    Context manager naming who acts (requests set the signed-in user themselves).
``trash(model, ids)``, ``restore(model, ids)``, ``bulk_update(model, ids, values)``, ``erase(model, ids)``
    Set-based, one audit row per record (cascade rules: ``webapp.audit.trash``). The caller commits.
``trail_for(record_type, record_id)``
    The record's history as an HTML fragment (also the template global ``audit_trail``).
``unlocked(reason)``
    Lets the current transaction delete audit rows (deleting a tenant); greppable like all_tenants.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, insert, select

from webapp.audit import registry, views
from webapp.audit.context import actor
from webapp.audit.filters import Filters
from webapp.audit.models import AuditEntry, AuditUnlock
from webapp.audit.purge import erase, retention_days
from webapp.audit.trash import bulk_update, restore, trash
from webapp.authz.policy import permits
from webapp.extensions import db

__all__ = ["LogPage", "TrashGroup", "TrashRow", "actor", "bulk_update", "erase", "log_page", "parse_items", "restore",
           "restore_items", "retention_days", "trail_for", "trash", "trash_listing", "unlocked"]
PAGE_SIZE = 50
TRAIL_SIZE = 20
TRASH_LIMIT = 200


@dataclass(frozen=True)
class LogPage:
    rows: list[views.Row]
    older: dict[str, str] | None  # query arguments of the next (older) page


def _criteria(filters: Filters) -> list:
    e, criteria = AuditEntry, []
    pairs = ((filters.type, lambda v: e.record_type == v), (filters.action, lambda v: e.action == v),
             (filters.user, lambda v: e.actor_user_id == v), (filters.record, lambda v: e.record_id == v),
             (filters.since_utc(), lambda v: e.occurred_at >= v), (filters.until_utc(), lambda v: e.occurred_at < v),
             (filters.before, lambda v: e.id < v))
    for value, make in pairs:
        if value not in (None, ""):
            criteria.append(make(value))
    return criteria


def log_page(filters: Filters) -> LogPage:
    """One page of the tenant's log, newest first, keyset-paginated on the id."""
    entries = db.session.scalars(select(AuditEntry).where(*_criteria(filters))
                                 .order_by(AuditEntry.id.desc()).limit(PAGE_SIZE + 1)).all()
    older = filters.args(before=entries[PAGE_SIZE - 1].id) if len(entries) > PAGE_SIZE else None
    return LogPage(views.describe(entries[:PAGE_SIZE]), older)


def trail_for(record_type: str, record_id: int) -> Markup:
    """The history of one record, newest first, rendered from ``audit/_record_trail.html``."""
    spec = registry.by_name(record_type)
    if spec is None:
        raise LookupError(f"unknown record type {record_type!r}")
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.record_type == spec.name, AuditEntry.record_id == int(record_id))
        .order_by(AuditEntry.id.desc()).limit(TRAIL_SIZE + 1)).all()
    return Markup(render_template(  # noqa: S704 - autoescaped template output
        "audit/_record_trail.html", rows=views.describe(entries[:TRAIL_SIZE]), more=len(entries) > TRAIL_SIZE,
        record_type=spec.name, record_id=int(record_id), full_log=permits("tenant_admin", current_user)))


@dataclass(frozen=True)
class TrashRow:
    key: str  # "company:12", the value the restore form posts
    title: str
    deleted_at: datetime
    purge_on: datetime


@dataclass(frozen=True)
class TrashGroup:
    spec: registry.Spec
    rows: list[TrashRow]
    more: bool


def trash_listing() -> list[TrashGroup]:
    """The tenant's trashed records per type, most recently trashed first."""
    keep = timedelta(days=retention_days())
    groups = []
    for spec in (spec for spec in registry.specs() if spec.trashable):
        m = spec.model
        records = db.session.scalars(select(m).where(m.deleted_at.is_not(None))
                                     .order_by(m.deleted_at.desc(), m.id.desc()).limit(TRASH_LIMIT + 1)).all()
        rows = [TrashRow(spec.label_of(r.id), spec.title(r) or f"#{r.id}", r.deleted_at, r.deleted_at + keep)
                for r in records[:TRASH_LIMIT]]
        groups.append(TrashGroup(spec, rows, len(records) > TRASH_LIMIT))
    return groups


def parse_items(values: list[str]) -> dict[registry.Spec, list[int]]:
    """``["company:12", "contact:7"]`` from a form into ids per record type; junk is skipped."""
    chosen: dict[registry.Spec, list[int]] = {}
    for value in values:
        record_type, _sep, record_id = (value or "").partition(":")
        spec = registry.by_name(record_type)
        if spec is not None and spec.trashable and record_id.isdigit() and len(record_id) < 19:
            chosen.setdefault(spec, []).append(int(record_id))
    return chosen


def restore_items(values: list[str]) -> int:
    return sum(restore(spec.model, ids) for spec, ids in parse_items(values).items())


@contextmanager
def unlocked(reason: str):
    """Allow this transaction to DELETE audit rows (the database refuses it otherwise)."""
    table = AuditUnlock.__table__
    token = uuid.uuid4().hex
    connection = db.session.connection()
    connection.execute(insert(table).values(token=token, reason=reason[:60]))
    try:
        yield
    finally:
        try:
            connection.execute(delete(table).where(table.c.token == token))
        except Exception:  # noqa: BLE001 - a failed PostgreSQL transaction only rolls back (row gone)
            db.session.rollback()

