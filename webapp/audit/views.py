"""Audit rows as the pages show them: who, which record, what changed (labels, not codes)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp import tenancy
from webapp.accounts.models import User
from webapp.audit import registry
from webapp.audit.models import AuditEntry
from webapp.extensions import db

ACTION_LABELS = {
    "create": _l("Created"), "update": _l("Changed"), "trash": _l("Moved to the trash"),
    "restore": _l("Restored"), "purge": _l("Deleted for good"), "erase": _l("Erased on request"),
}


@dataclass(frozen=True)
class Change:
    field: object
    before: object
    after: object


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    actor: str
    record: str
    action: object
    changes: tuple[Change, ...]
    via: str | None


def tenant_users(ids: Iterable[int] | None = None) -> list[tuple[int, str]]:
    """(id, name) of the users of the tenant in scope (all, or those of ``ids``): the user filter,
    the names of actors. Users are not tenant data, so the tenant is named here explicitly."""
    tenant_id = tenancy.current_tenant_id()
    if tenant_id is None:
        raise tenancy.TenantScopeError("audit log read without a tenant in scope")
    statement = select(User.id, User.name).where(User.tenant_id == tenant_id).order_by(User.name, User.id)
    if ids is not None:
        statement = statement.where(User.id.in_(set(ids)))
    return [(user_id, name) for user_id, name in db.session.execute(statement)]


def _actor(entry: AuditEntry, names: dict[int, str]) -> str:
    if entry.actor_user_id is not None:
        return names.get(entry.actor_user_id) or _("User #%(id)s", id=entry.actor_user_id)
    if entry.actor_job:
        return _("System job %(name)s", name=entry.actor_job.rsplit(".", 1)[-1])
    return _("Unknown")


def _titles(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = {}
    for record_type, record_id in pairs:
        wanted.setdefault(record_type, set()).add(record_id)
    titles = {}
    for name, ids in wanted.items():
        spec = registry.by_name(name)
        if spec is None:
            continue
        for record in db.session.scalars(select(spec.model).where(spec.model.id.in_(ids))):
            title = spec.title(record) or f"#{record.id}"
            if getattr(record, "deleted_at", None) is not None:
                title = _("%(title)s (in the trash)", title=title)
            titles[(name, record.id)] = title
    return titles


def record_label(record_type: str, record_id: int, titles: dict) -> str:
    spec = registry.by_name(record_type)
    kind = str(spec.label) if spec else record_type
    title = titles.get((record_type, record_id)) or _("#%(id)s, no longer exists", id=record_id)
    return f"{kind}: {title}"


def _value(key: str, value: object) -> object:
    if isinstance(value, str) and key.endswith("_at"):
        try:
            return format_datetime(datetime.fromisoformat(value), "short")
        except ValueError:
            return value
    return value


def _changes(entry: AuditEntry) -> tuple[Change, ...]:
    spec = registry.by_name(entry.record_type)
    label = spec.field_label if spec else (lambda key: key)
    return tuple(Change(label(key), _value(key, before), _value(key, after))
                 for key, (before, after) in sorted((entry.changes or {}).items()))


def _via(entry: AuditEntry) -> tuple[str, int] | None:
    record_type, _sep, record_id = (entry.via or "").partition(":")
    return (record_type, int(record_id)) if record_type and record_id.isdigit() else None


def describe(entries: Sequence[AuditEntry]) -> list[Row]:
    names = dict(tenant_users(e.actor_user_id for e in entries if e.actor_user_id is not None))
    vias = {entry.id: _via(entry) for entry in entries}
    titles = _titles([*((e.record_type, e.record_id) for e in entries), *filter(None, vias.values())])
    return [Row(entry, _actor(entry, names), record_label(entry.record_type, entry.record_id, titles),
                ACTION_LABELS.get(entry.action, entry.action), _changes(entry),
                record_label(*vias[entry.id], titles) if vias[entry.id] else None)
            for entry in entries]
