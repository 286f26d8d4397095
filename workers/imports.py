"""Import jobs: run one import (queue ``default``), delete old import files (``maintenance``, daily)."""

from __future__ import annotations

from webapp.imports import pipeline, retention
from workers.context import job, report_progress


@job
def run_import(import_id: int) -> str:
    """Check and write one uploaded file as its tenant (see webapp.imports.pipeline)."""
    return pipeline.run(int(import_id), lambda percent, message: report_progress(percent, message))


@job
def purge_import_files(keep_days: int | None = None) -> str:
    """Delete uploads and reports older than IMPORT_FILE_RETENTION_DAYS, across tenants."""
    return retention.purge(keep_days)
