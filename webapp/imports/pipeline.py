"""The import job: claim the record, check every row, then write all, the valid rows, or nothing.

Transactions: claiming (``queued`` -> ``running``) commits at once, so the page can show it. All
the rest (companies, contacts, the outcome on the record) is ONE transaction, committed at the end;
any failure rolls it back and records only the failure. All-or-nothing mode checks the whole file
before writing anything and writes nothing if a row is rejected.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, update

from webapp import clock, tenancy
from webapp.audit.context import actor
from webapp.extensions import db
from webapp.imports import files
from webapp.imports.checking import Checked, check_file
from webapp.imports.models import ImportRecord
from webapp.imports.problems import FileProblem
from webapp.imports.writing import write_rows

log = logging.getLogger("bizalom.imports")
Progress = Callable[[int, str], None]


class ImportFailed(RuntimeError):
    """An unexpected error, stripped of its message: database errors quote the rows they failed on."""


def where(exc: BaseException) -> str:
    """``IntegrityError at writing.py:66 in _insert``: the kind and place of an error, no data."""
    frames = traceback.extract_tb(exc.__traceback__)
    place = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    return f"{type(exc).__name__}{place}"


def run(import_id: int, progress: Progress) -> str:
    """Run one import as its tenant; returns a short outcome for the Task row."""
    tenant_id = db.session.scalar(
        tenancy.all_tenants(select(ImportRecord.tenant_id).where(ImportRecord.id == import_id)))
    if tenant_id is None:
        return "no such import"
    with tenancy.scoped(tenant_id):
        return _run_scoped(import_id, progress)


def _claim(import_id: int) -> ImportRecord | None:
    claimed = db.session.execute(
        update(ImportRecord).where(ImportRecord.id == import_id, ImportRecord.status == "queued")
        .values(status="running")).rowcount
    db.session.commit()
    return db.session.get(ImportRecord, import_id) if claimed else None


def _run_scoped(import_id: int, progress: Progress) -> str:
    record = _claim(import_id)
    if record is None:
        return "not queued"
    try:
        who = {"user_id": record.user_id} if record.user_id else {"job": "workers.imports.run_import"}
        with actor(**who):  # the audit trail names the person who imported
            outcome = _execute(record, progress)
    except FileProblem as problem:
        db.session.rollback()
        _fail(import_id, problem.code, problem.params)
        return f"failed: {problem.code}"
    except Exception as exc:
        db.session.rollback()
        _fail(import_id, "internal", {})
        raise ImportFailed(f"import {import_id}: {where(exc)}") from None  # no values of the file in logs
    return outcome


def _execute(record: ImportRecord, progress: Progress) -> str:
    checked = check_file(record, progress)
    if checked.rejected and record.mode == "all_or_nothing":
        _finish(record, "rejected", checked, 0)
    else:
        _finish(record, "imported", checked, write_rows(record, checked, progress))
    db.session.commit()
    files.path_of(record.tenant_id, record.stored_name, ".staged").unlink(missing_ok=True)
    progress(100, f"done:{record.rows_imported}")
    return f"{record.status}: read {checked.read}, imported {record.rows_imported}, rejected {checked.rejected}"


def _finish(record: ImportRecord, status: str, checked: Checked, imported: int) -> None:
    record.status, record.finished_at = status, clock.now()
    record.rows_read, record.rows_rejected, record.rows_imported = checked.read, checked.rejected, imported
    record.report_name = f"{record.stored_name}.report" if checked.rejected else None
    if not checked.rejected:
        files.path_of(record.tenant_id, record.stored_name, ".report").unlink(missing_ok=True)


def _fail(import_id: int, code: str, params: dict) -> None:
    """Record a failure in a fresh transaction (the work itself was rolled back)."""
    record = db.session.get(ImportRecord, import_id)
    record.status, record.finished_at = "failed", clock.now()
    record.error_code, record.error_params_json = code, json.dumps(params) if params else None
    record.rows_imported, record.report_name = 0, None
    for suffix in (".staged", ".report"):
        files.path_of(record.tenant_id, record.stored_name, suffix).unlink(missing_ok=True)
    db.session.commit()
    log.warning("import %s failed: %s", import_id, code)
