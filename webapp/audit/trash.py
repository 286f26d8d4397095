"""Trash, restore, bulk update, erasure and the final purge: set-based, one audit row per record.

Every statement here carries the ``audited`` option (so ``webapp.audit.bulk`` leaves it alone)
and the rows, richer than bulk's (batch, ``via``), are written with it, in the same transaction.
All run in the tenant in scope (``tenancy``); the caller commits.

Cascade rules (``parent`` in ``webapp.audit.registry``):

1. ``trash(model, ids)``: the live records and, recursively, their live children go to the trash
   under one batch id (a company takes its contacts along; their rows say ``via="company:12"``).
2. ``restore(model, ids)``: a record the user trashed comes back with exactly what its trash took
   along (the members of its batch that went because of it and are still in the trash from that
   batch; not the other records trashed in the same bulk action); a record that went along with
   its parent comes back alone. Either way a parent still in the trash comes back as well: a live
   contact never points to a trashed company.

Erasure and the final purge (hard deletes): ``webapp.audit.purge``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from webapp import tenancy
from webapp.audit import capture, registry
from webapp.audit.capture import plain
from webapp.audit.models import AuditEntry as Entry
from webapp.audit.registry import Spec
from webapp.extensions import db

CHUNK = 500


@dataclass
class Operation:
    """One call: its action, time, actor, tenant and batch id, shared by all its rows."""

    action: str
    base: dict
    batch: str | None
    note: str | None = None

    @classmethod
    def start(cls, action: str, note: str | None = None) -> Operation:
        tenant_id = tenancy.current_tenant_id()
        if tenant_id is None:
            raise tenancy.TenantScopeError("audited change without a tenant in scope")
        return cls(action, capture.stamp(db.session) | {"tenant_id": tenant_id}, uuid.uuid4().hex, note)

    def write(self, spec: Spec, items: Iterable[tuple[int, dict | None, str | None]], action: str = "") -> None:
        capture.write(db.session, [
            capture.row(self.base, spec, record_id, action or self.action, changes, via=via,
                        batch_id=self.batch, note=self.note)
            for record_id, changes, via in items])

    @property
    def now(self) -> datetime:
        return self.base["occurred_at"]


def as_ids(ids: Iterable) -> list[int]:
    return sorted({int(value) for value in ids})


def chunks(items: Iterable) -> Iterable[list]:
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def audited(statement):
    return statement.execution_options(**{capture.AUDITED: True})


def _trashable(model: type) -> Spec:
    spec = registry.spec_for(model)
    if not spec.trashable:
        raise ValueError(f"{model.__name__} has no deleted_at column: it cannot be trashed")
    return spec


def _trashed(spec: Spec, ids: Iterable[int]) -> set[int]:
    m, found = spec.model, set()
    for chunk in chunks(as_ids(ids)):
        found.update(db.session.scalars(select(m.id).where(m.id.in_(chunk), m.deleted_at.is_not(None))))
    return found


# -- trash -----------------------------------------------------------------------------------

def trash(model: type, ids: Iterable[int]) -> int:
    """Move records (and their live children) to the trash; returns how many went."""
    return _trash(_trashable(model), [(record_id, None) for record_id in as_ids(ids)], Operation.start("trash"))


def _trash(spec: Spec, pairs: list[tuple[int, str | None]], op: Operation) -> int:
    m, count = spec.model, 0
    for chunk in chunks(pairs):
        via = dict(chunk)
        live = db.session.scalars(select(m.id).where(m.id.in_(via), m.deleted_at.is_(None))
                                  .order_by(m.id).with_for_update()).all()
        if not live:
            continue
        db.session.execute(audited(update(m).where(m.id.in_(live)).values(deleted_at=op.now)))
        op.write(spec, [(record_id, {"deleted_at": [None, plain(op.now)]}, via[record_id]) for record_id in live])
        count += len(live)
        for child in registry.children_of(spec):
            if child.trashable:
                count += _trash(child, _live_children(child, live), op)
    return count


def _live_children(child: Spec, parent_ids: list[int]) -> list[tuple[int, str]]:
    column, parent = child.parent_column, child.parent[1]
    rows = db.session.execute(select(child.model.id, column)
                              .where(column.in_(parent_ids), child.model.deleted_at.is_(None))).all()
    return [(record_id, parent.label_of(parent_id)) for record_id, parent_id in rows]


# -- restore ---------------------------------------------------------------------------------

def restore(model: type, ids: Iterable[int]) -> int:
    """Bring records back from the trash with their batch and trashed parents (rule 2)."""
    spec = _trashable(model)
    plan: dict[Spec, dict[int, str | None]] = {}
    trashed = _trashed(spec, ids)
    plan[spec] = dict.fromkeys(sorted(trashed))
    _add_batches(plan, spec, trashed)
    _add_parents(plan)
    op = Operation.start("restore")
    return sum(_restore(each, items, op) for each, items in plan.items())


def _latest_trash(spec: Spec, ids: Iterable[int]) -> dict[int, tuple[str | None, str | None]]:
    latest = {}
    for chunk in chunks(as_ids(ids)):
        rows = db.session.execute(
            select(Entry.record_id, Entry.batch_id, Entry.via)
            .where(Entry.record_type == spec.name, Entry.record_id.in_(chunk), Entry.action == "trash")
            .order_by(Entry.id)).all()
        latest.update({record_id: (batch, via) for record_id, batch, via in rows})
    return latest


def _cascade_of(batch: str, root: str) -> dict[str, list[int]]:
    """The records that went to the trash with ``root`` ("company:12") in ``batch``, per type."""
    rows = db.session.execute(select(Entry.record_type, Entry.record_id, Entry.via)
                              .where(Entry.batch_id == batch, Entry.action == "trash")).all()
    taken, found = {root}, True
    while found:
        found = False
        for record_type, record_id, via in rows:
            label = f"{record_type}:{record_id}"
            if via in taken and label not in taken:
                taken.add(label)
                found = True
    members: dict[str, list[int]] = {}
    for label in taken - {root}:
        record_type, _sep, record_id = label.partition(":")
        members.setdefault(record_type, []).append(int(record_id))
    return members


def _add_batches(plan: dict, spec: Spec, ids: set[int]) -> None:
    for record_id, (batch, via) in _latest_trash(spec, ids).items():
        if batch is None or via is not None:
            continue  # trashed along with its parent, or outside the services: alone
        for record_type, member_ids in _cascade_of(batch, spec.label_of(record_id)).items():
            member_spec = registry.by_name(record_type)
            if member_spec is None or not member_spec.trashable:
                continue
            same_batch = [m for m, (b, _v) in _latest_trash(member_spec, member_ids).items() if b == batch]
            for member_id in sorted(_trashed(member_spec, same_batch)):
                plan.setdefault(member_spec, {}).setdefault(member_id, spec.label_of(record_id))


def _add_parents(plan: dict) -> None:
    for spec in reversed(registry.specs()):  # children first: a restored parent finds its own parent
        if spec.parent is None or not plan.get(spec) or not spec.parent[1].trashable:
            continue
        parent, column = spec.parent[1], spec.parent_column
        for chunk in chunks(plan[spec]):
            pairs = db.session.execute(select(spec.model.id, column)
                                       .where(spec.model.id.in_(chunk), column.is_not(None))).all()
            in_trash = _trashed(parent, {parent_id for _id, parent_id in pairs})
            for record_id, parent_id in pairs:
                if parent_id in in_trash:
                    plan.setdefault(parent, {}).setdefault(parent_id, spec.label_of(record_id))


def _restore(spec: Spec, items: dict[int, str | None], op: Operation) -> int:
    m, count = spec.model, 0
    for chunk in chunks(items):
        rows = db.session.execute(select(m.id, m.deleted_at).where(m.id.in_(chunk), m.deleted_at.is_not(None))
                                  .order_by(m.id).with_for_update()).all()
        if not rows:
            continue
        db.session.execute(audited(update(m).where(m.id.in_([r.id for r in rows])).values(deleted_at=None)))
        op.write(spec, [(r.id, {"deleted_at": [plain(r.deleted_at), None]}, items[r.id]) for r in rows])
        count += len(rows)
    return count


# -- bulk update -----------------------------------------------------------------------------

def bulk_update(model: type, ids: Iterable[int], values: Mapping) -> int:
    """Set the same values on many records; one audit row per record that actually changed."""
    spec = registry.spec_for(model)
    wrong = (set(values) - set(spec.fields)) | ({"deleted_at"} & set(values))
    if wrong or not values:
        raise ValueError(f"cannot bulk-update {sorted(wrong) or 'nothing'} of {model.__name__} (use trash/restore)")
    op = Operation.start("update")
    return sum(update_where(spec, spec.model.id.in_(chunk), dict(values), op) for chunk in chunks(as_ids(ids)))


def update_where(spec: Spec, criteria, values: dict, op: Operation, via: Callable | None = None) -> int:
    m, keys = spec.model, list(values)
    rows = db.session.execute(select(m.id, *(getattr(m, key) for key in keys)).where(criteria)
                              .order_by(m.id).with_for_update()).all()
    items = []
    for record_id, *before in rows:
        changes = {key: [plain(old), plain(values[key])] for key, old in zip(keys, before, strict=True)
                   if plain(old) != plain(values[key])}
        if changes:
            items.append((record_id, changes, via(before) if via else None))
    for chunk in chunks(items):
        db.session.execute(audited(update(m).where(m.id.in_([item[0] for item in chunk])).values(**values)))
        op.write(spec, chunk, action="update")
    return len(items)
