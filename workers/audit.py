"""Audit jobs: the final purge of the trash."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from webapp import clock, tenancy
from webapp.audit import purge, trash
from webapp.audit.context import actor
from webapp.extensions import db
from workers.context import job

JOB_NAME = "workers.audit.purge_trash"


def _purge_tenant(tenant_id: int, cutoff, note: str, counts: Counter) -> None:
    with tenancy.scoped(tenant_id):
        op = trash.Operation.start("purge", note=note)
        for spec in purge.purge_order():
            while purged := purge.purge_batch(spec, cutoff, op):
                counts[spec.name] += purged
                db.session.commit()  # one batch at a time: a long purge holds no long locks


@job
def purge_trash() -> str:
    """Delete for good what has been in the trash longer than TRASH_RETENTION_DAYS, tenant by tenant,
    in batches; one ``purge`` audit row per record, without its values."""
    days = purge.retention_days()
    cutoff = clock.now() - timedelta(days=days)
    counts: Counter[str] = Counter()
    with actor(job=JOB_NAME):
        for tenant_id in purge.tenants_with_expired_trash(cutoff):
            _purge_tenant(tenant_id, cutoff, f"in the trash for more than {days} days", counts)
    return "purged " + (", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or "nothing")
