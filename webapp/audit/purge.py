"""Hard deletes: erasure requests and the final purge of the trash.

1. ``erase(model, ids)``: an erasure request deletes at once, bypassing the trash. Children are
   unlinked (an audited update), not erased. The ``erase`` row holds no values, and the values
   in the record's earlier audit rows are removed (redacted): the log keeps who did what and
   when, not the personal data of a record that no longer exists.
2. ``purge_batch(spec, cutoff, op)``: the same for records trashed before ``cutoff`` (``purge``),
   at most ``PURGE_BATCH`` records per call; ``purge_order()`` lists children before parents.

The caller commits. ``purge_all`` runs the purge tenant by tenant, committing per batch: the daily
retention run (``webapp.retention``, category ``trashed_records``) calls it with the cutoff of the
records of processing; ``workers.audit.purge_trash`` remains for a manual run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType

from flask import current_app
from sqlalchemy import delete, func, select

from webapp import tenancy
from webapp.audit import capture, registry
from webapp.audit.registry import Spec
from webapp.audit.trash import Operation, as_ids, audited, chunks, update_where
from webapp.extensions import db

PURGE_BATCH = 500
DEFAULT_RETENTION_DAYS = 30
ERASURE_NOTE = "erasure request"


def retention_days() -> int:
    return int(current_app.config.get("TRASH_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


def erase(model: type, ids: Iterable[int], note: str = ERASURE_NOTE) -> int:
    """Erasure request: delete at once, bypassing the trash (rule 3); returns how many."""
    return _hard_delete(registry.spec_for(model), as_ids(ids), Operation.start("erase", note=note[:200]))


def unlink_children(spec: Spec, parent_ids: list[int], op: Operation) -> None:
    for child in registry.children_of(spec):
        key = child.parent[0]
        update_where(child, child.parent_column.in_(parent_ids), {key: None}, op,
                via=lambda before, parent=spec: parent.label_of(before[0]))


def _hard_delete(spec: Spec, ids: list[int], op: Operation) -> int:
    m, count = spec.model, 0
    for chunk in chunks(ids):
        present = db.session.scalars(select(m.id).where(m.id.in_(chunk)).order_by(m.id).with_for_update()).all()
        if not present:
            continue
        unlink_children(spec, present, op)
        db.session.execute(audited(delete(m).where(m.id.in_(present))))
        capture.redact(db.session, op.base["tenant_id"], spec, present)
        op.write(spec, [(record_id, None, None) for record_id in present])
        count += len(present)
    return count


def purge_order() -> list[Spec]:
    """Trashable record types, children before parents."""
    return [spec for spec in reversed(registry.specs()) if spec.trashable]


def _expired(spec: Spec, cutoff: datetime, kept: Mapping[str, Collection[int]]):
    m = spec.model
    condition = [m.deleted_at.is_not(None), m.deleted_at < cutoff]
    held = kept.get(m.__tablename__)
    if held:  # records under a legal hold stay in the trash
        condition.append(m.id.not_in(list(held)))
    return condition


def purge_batch(spec: Spec, cutoff: datetime, op: Operation, kept: Mapping[str, Collection[int]] = MappingProxyType({})
                ) -> int:
    """Delete for good up to ``PURGE_BATCH`` records of ``spec`` trashed before ``cutoff`` (not ``kept``)."""
    m = spec.model
    ids = db.session.scalars(select(m.id).where(*_expired(spec, cutoff, kept)).order_by(m.id).limit(PURGE_BATCH)).all()
    return _hard_delete(spec, list(ids), op) if ids else 0


def tenants_with_expired_trash(cutoff: datetime) -> list[int]:
    """System job: the tenants that have something to purge (deliberately cross-tenant)."""
    found: set[int] = set()
    for spec in purge_order():
        m = spec.model
        found.update(db.session.scalars(tenancy.all_tenants(
            select(m.tenant_id).where(m.deleted_at < cutoff).distinct())))
    return sorted(found)


def count_expired(cutoff: datetime, kept: Mapping[str, Collection[int]] = MappingProxyType({})) -> int:
    """Records trashed before ``cutoff`` and not ``kept``, across tenants (the retention engine's preview)."""
    return sum(db.session.scalar(tenancy.all_tenants(
        select(func.count(spec.model.id)).where(*_expired(spec, cutoff, kept)))) or 0 for spec in purge_order())


def purge_all(cutoff: datetime, note: str, kept: Mapping[str, Collection[int]] = MappingProxyType({})) -> Counter:
    """Final purge, tenant by tenant, one committed batch at a time; counts per record type.

    The caller sets the audit actor (``audit.context.actor(job=...)``).
    """
    counts: Counter[str] = Counter()
    for tenant_id in tenants_with_expired_trash(cutoff):
        with tenancy.scoped(tenant_id):
            op = Operation.start("purge", note=note)
            for spec in purge_order():
                while purged := purge_batch(spec, cutoff, op, kept):
                    counts[spec.name] += purged
                    db.session.commit()
    return counts
