"""Imports as the pages see them: receive an upload, list, preview, start the job, describe progress.

Every query is tenant-scoped by webapp.tenancy; an import of another tenant simply is not found.
"""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from webapp import tenancy
from webapp.extensions import db
from webapp.imports import files, settings
from webapp.imports.mapping import suggest
from webapp.imports.models import MAPPABLE, ImportRecord
from webapp.imports.problems import FileProblem
from webapp.imports.sources import SAMPLE_ROWS, inspect_file, is_blank, open_source
from webapp.jobs.services import enqueue

JOB = "workers.imports.run_import"
UNPACK_FACTOR = 10  # an XLSX may unpack to this many times the upload limit


def receive_upload(upload, chosen_encoding: str | None, user_id: int) -> ImportRecord:
    """Store the file, find out what it is and its column names; FileProblem (nothing kept) if unusable."""
    tenant_id = tenancy.current_tenant_id()
    max_bytes = settings.whole("IMPORT_MAX_BYTES")
    stored = files.store_upload(upload.stream, tenant_id, max_bytes)
    try:
        found = inspect_file(stored.path, max_bytes * UNPACK_FACTOR, chosen_encoding or None)
        record = ImportRecord(
            user_id=user_id, file_name=files.display_name(upload.filename), stored_name=stored.name,
            size_bytes=stored.size, sha256=stored.sha256, file_format=found.file_format, encoding=found.encoding,
            encoding_guessed=found.encoding_guessed, delimiter=found.delimiter,
            headers_json=json.dumps(found.headers), mapping_json=json.dumps(suggest(found.headers)),
            mode="all_or_nothing", status="uploaded")
        db.session.add(record)
        db.session.flush()
    except BaseException:
        files.delete_all(tenant_id, stored.name)
        raise
    return record


def get_import(import_id: int) -> ImportRecord | None:
    return db.session.scalar(select(ImportRecord).where(ImportRecord.id == import_id))


def recent_imports(limit: int = 50) -> list[ImportRecord]:
    statement = select(ImportRecord).order_by(ImportRecord.created_at.desc(), ImportRecord.id.desc()).limit(limit)
    return list(db.session.scalars(statement))


def preview(record: ImportRecord) -> list[list[str]]:
    """The first rows under the header, as read with the detected settings (to spot wrong accents)."""
    path = files.path_of(record.tenant_id, record.stored_name)
    if not path.exists():
        return []
    rows: list[list[str]] = []
    try:
        with open_source(path, record.file_format, record.encoding, record.delimiter) as source:
            for number, cells in source.rows():
                if number > 1 and not is_blank(cells):
                    rows.append([cell[:60] for cell in cells[: len(record.headers)]])
                if len(rows) == SAMPLE_ROWS:
                    break
    except FileProblem:
        return rows
    return rows


def start_import(record: ImportRecord, mapping: list[str], mode: str, user_id: int) -> bool:
    """Queue the job for this mapping; False when the import was started meanwhile (double submit)."""
    attempt = record.attempt
    job_id = f"import-{record.id}-{attempt + 1}"
    started = db.session.execute(
        update(ImportRecord)
        .where(ImportRecord.id == record.id, ImportRecord.attempt == attempt, ImportRecord.status.in_(MAPPABLE),
               ImportRecord.files_deleted_at.is_(None))
        .values(status="queued", attempt=attempt + 1, task_id=job_id, mapping_json=json.dumps(mapping), mode=mode,
                rows_read=0, rows_imported=0, rows_rejected=0, error_code=None, error_params_json=None,
                report_name=None, finished_at=None)).rowcount
    if not started:
        return False
    enqueue(JOB, record.id, queue_name="default", job_id=job_id, user_id=user_id)
    return True


def progress_text(message: str | None) -> str:
    """The job's progress message (``check:1000``, ``save:1000:20000``) in words."""
    phase, _sep, rest = (message or "").partition(":")
    numbers = rest.split(":")
    if phase == "check" and numbers[0].isdigit():
        return _("Checking rows: %(count)s read", count=numbers[0])
    if phase == "save" and len(numbers) == 2 and all(n.isdigit() for n in numbers):
        return _("Saving: %(done)s of %(total)s rows", done=numbers[0], total=numbers[1])
    return ""


STATUS_LABELS = {
    "uploaded": _l("Columns not chosen yet"),
    "queued": _l("Waiting to start"),
    "running": _l("Running"),
    "imported": _l("Imported"),
    "rejected": _l("Nothing imported (rows rejected)"),
    "failed": _l("Failed"),
}
