"""A record's timeline: its notes, tasks and audit entries merged newest first.

Keyset pages on (time, kind, id), descending; each source is asked for one page past the cursor
and the merge keeps the newest ``PAGE_SIZE``. The cursor is opaque (``webapp.crm.keyset``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from webapp.activities.models import Note, Task
from webapp.audit import views
from webapp.audit.models import AuditEntry
from webapp.crm import keyset
from webapp.extensions import db

PAGE_SIZE = 20
CURSOR_TYPES = (datetime, str, int)


@dataclass(frozen=True)
class Entry:
    kind: str  # "audit" | "note" | "task"
    at: datetime
    id: int
    item: object  # Note, Task or views.Row
    who: str

    @property
    def key(self) -> tuple:
        return (self.at, self.kind, self.id)


@dataclass(frozen=True)
class TimelinePage:
    entries: list[Entry]
    next_cursor: str | None


def _after(time_column, id_column, kind: str, cursor: tuple | None):
    """(time, kind, id) < cursor for a source whose kind is the constant ``kind``."""
    if cursor is None:
        return None
    at, cursor_kind, cursor_id = cursor
    if kind < cursor_kind:
        return time_column <= at
    if kind > cursor_kind:
        return time_column < at
    return or_(time_column < at, and_(time_column == at, id_column < cursor_id))


def _query(model, time_column, criteria: list, kind: str, cursor: tuple | None):
    condition = _after(time_column, model.id, kind, cursor)
    if condition is not None:
        criteria = [*criteria, condition]
    return db.session.scalars(select(model).where(*criteria).order_by(time_column.desc(), model.id.desc())
                              .limit(PAGE_SIZE + 1)).all()


def _author(item) -> str:
    return item.author.name if item.author is not None else ""


def timeline(kind: str, record_id: int, cursor_text: str | None = None) -> TimelinePage:
    cursor = keyset.decode(cursor_text, CURSOR_TYPES)
    column = "contact_id" if kind == "contact" else "company_id"
    entries: list[Entry] = []
    for model in (Note, Task):
        name = "note" if model is Note else "task"
        items = _query(model, model.created_at, [getattr(model, column) == record_id, model.deleted_at.is_(None)],
                       name, cursor)
        entries += [Entry(name, item.created_at, item.id, item, _author(item)) for item in items]
    audits = _query(AuditEntry, AuditEntry.occurred_at,
                    [AuditEntry.record_type == kind, AuditEntry.record_id == record_id], "audit", cursor)
    entries += [Entry("audit", row.entry.occurred_at, row.entry.id, row, row.actor) for row in views.describe(audits)]
    entries.sort(key=lambda entry: entry.key, reverse=True)
    page = entries[:PAGE_SIZE]
    more = len(entries) > PAGE_SIZE
    return TimelinePage(page, keyset.encode(page[-1].key) if more else None)
