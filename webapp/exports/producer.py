"""Exports, the job side: write the file, record its hash, delete expired files.

The cross-tenant statements (``all_tenants``) are these: ``tenant_of`` reads one tenant id so the
job can then run inside ``tenancy.scoped``; ``purge_expired`` and ``sweep_orphans`` are system work
over every tenant's files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select

from webapp import clock, tenancy
from webapp.customfields import exports as custom_fields
from webapp.exports import services, sources
from webapp.exports.models import ExportRecord
from webapp.exports.writers import WRITERS
from webapp.extensions import db
from webapp.seclog import services as seclog

PURGE_BATCH = 500
ORPHAN_GRACE = timedelta(hours=1)
Reporter = Callable[[int, str], None]


def tenant_of(export_id: int) -> int | None:
    statement = select(ExportRecord.tenant_id).where(ExportRecord.id == export_id)
    return db.session.scalar(tenancy.all_tenants(statement))


def _write_file(record: ExportRecord, report: Reporter) -> tuple[int, str]:
    """Stream the rows into ``<file>.part``, then rename it: a reader never sees half a file."""
    entity = custom_fields.extend(sources.ENTITIES[record.entity])  # plus a column per custom field
    total = sources.count(entity, record.filters)
    final = services.file_of(record)
    final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    part = final.with_name(final.name + ".part")
    writer = WRITERS[record.format](part, entity)
    written = 0
    try:
        for rows in sources.batches(entity, record.filters):
            writer.write(custom_fields.add_values(entity, rows))
            written += len(rows)
            report(min(99, written * 100 // max(total, 1)), f"{written}/{total}")
        digest = writer.finish()
        os.replace(part, final)
    except BaseException:
        writer.discard()
        part.unlink(missing_ok=True)
        raise
    return written, digest


def produce(export_id: int, report: Reporter) -> str:
    """Write one export (the current tenant's); idempotent if the job runs again."""
    record = services.get(export_id)
    if record is None:
        return "no such export"
    if record.finished_at is not None:
        return f"already written: {record.row_count} rows"
    if services.is_expired(record):
        return "expired before it ran"
    record.row_count, record.sha256 = _write_file(record, report)
    record.finished_at = clock.now()
    db.session.flush()  # inside the tenant scope: PostgreSQL's row-level security checks the UPDATE
    seclog.record("data_exported", user_id=record.requested_by_id, tenant_id=record.tenant_id, detail={
        "export_id": record.id, "entity": record.entity, "format": record.format, "filter": record.filters,
        "rows": record.row_count, "sha256": record.sha256})
    return f"{record.row_count} rows"


def _delete_files(record: ExportRecord) -> None:
    final = services.file_of(record)
    final.unlink(missing_ok=True)
    final.with_name(final.name + ".part").unlink(missing_ok=True)


def _due(now: datetime, created_before: datetime | None):
    expired = ExportRecord.expires_at <= now
    if created_before is not None:  # the retention engine's cutoff (records of processing)
        expired = or_(expired, ExportRecord.created_at < created_before)
    return and_(ExportRecord.purged_at.is_(None), expired)


def count_expired(now: datetime, created_before: datetime | None = None) -> int:
    return db.session.scalar(tenancy.all_tenants(select(func.count(ExportRecord.id))
                                                 .where(_due(now, created_before)))) or 0


def purge_expired(now: datetime | None = None, created_before: datetime | None = None) -> int:
    """Delete the files of expired exports (every tenant); the records stay as the log."""
    now = now or clock.now()
    due = select(ExportRecord).where(_due(now, created_before))
    purged = 0
    while batch := list(db.session.scalars(tenancy.all_tenants(due.order_by(ExportRecord.id).limit(PURGE_BATCH)))):
        for record in batch:
            _delete_files(record)  # the file goes first: a failed commit leaves a record, never a file
            record.purged_at = now
        db.session.flush()
        purged += len(batch)
    return purged


def sweep_orphans(now: datetime | None = None) -> int:
    """Delete files no live export refers to (a crashed job's ``.part``, a deleted tenant's files)."""
    root = services.export_root()
    if not root.is_dir():
        return 0
    cutoff = ((now or clock.now()) - ORPHAN_GRACE).timestamp()
    swept = 0
    for path in root.glob("*/*"):
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        relative = path.relative_to(root).as_posix().removesuffix(".part")
        live = select(ExportRecord.id).where(ExportRecord.file_path == relative, ExportRecord.purged_at.is_(None))
        if db.session.scalar(tenancy.all_tenants(live)) is None:
            path.unlink(missing_ok=True)
            swept += 1
    return swept
