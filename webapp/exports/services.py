"""Exports, the request side: start one, find one, follow its progress, check a download link."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app, session
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp import clock
from webapp.crm.models import Company
from webapp.crypto import new_token, token_hash
from webapp.exports.models import ExportRecord
from webapp.extensions import db
from webapp.jobs import services as jobs
from webapp.jobs.models import Task
from webapp.jobs.services import Progress
from webapp.seclog import services as seclog

JOB = "workers.exports.run_export"
DEFAULT_LINK_HOURS = 24
SESSION_KEY = "export_links"
LINKS_KEPT = 5
LIST_LIMIT = 100


def link_hours() -> int:
    return int(current_app.config.get("EXPORT_LINK_HOURS") or DEFAULT_LINK_HOURS)


def export_root() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "exports"


def file_of(record: ExportRecord) -> Path:
    """The export's file: ``INSTANCE_PATH/exports/<tenant>/<random>.<format>``."""
    root = export_root().resolve()
    path = (root / record.file_path).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"export {record.id} points outside the export folder")
    return path


def company_name(company_id: int | None) -> str | None:
    """The name of this tenant's company ``company_id`` (None if there is none)."""
    if not company_id:
        return None
    return db.session.scalar(select(Company.name).where(Company.id == company_id))


def start(user, entity: str, fmt: str, filters: dict) -> tuple[ExportRecord, str]:
    """Record the export and enqueue its job (dispatched after commit); returns the link token."""
    token, now = new_token(), clock.now()
    record = ExportRecord(requested_by_id=user.id, entity=entity, format=fmt, filters=filters,
                          file_path=f"{user.tenant_id}/{secrets.token_hex(16)}.{fmt}", token_hash=token_hash(token),
                          created_at=now, expires_at=now + timedelta(hours=link_hours()))
    db.session.add(record)
    db.session.flush()
    task = jobs.enqueue(JOB, record.id, queue_name="exports", job_id=f"export-{record.id}", user_id=user.id)
    record.task_id = task.id
    return record, token


def get(export_id: int) -> ExportRecord | None:
    """This tenant's export (a query, so the tenant scope always applies)."""
    return db.session.scalar(select(ExportRecord).where(ExportRecord.id == export_id))


def recent(limit: int = LIST_LIMIT) -> list[ExportRecord]:
    statement = (select(ExportRecord).options(selectinload(ExportRecord.requested_by))
                 .order_by(ExportRecord.created_at.desc(), ExportRecord.id.desc()).limit(limit))
    return list(db.session.scalars(statement))


def progress_of(record: ExportRecord) -> Progress:
    if record.finished_at is not None:
        return Progress("finished", 100)
    task = db.session.get(Task, record.task_id) if record.task_id else None
    if task is None or task.state in ("finished", "failed"):
        return Progress("failed", 0)  # a job that ended without finishing the export failed
    percent, message = jobs.live_progress(task)
    return Progress(task.state, percent, message)


def is_expired(record: ExportRecord) -> bool:
    return record.purged_at is not None or clock.now() >= record.expires_at


def download_refusal(record: ExportRecord, token: str | None) -> int | None:
    """None if the file may be sent; else the status: 403 wrong token, 410 expired, 404 not there."""
    if not token or not hmac.compare_digest(token_hash(token), record.token_hash):
        return 403
    if is_expired(record):
        return 410
    if record.finished_at is None or not file_of(record).is_file():
        return 404
    return None


def log_download(record: ExportRecord) -> None:
    seclog.record("export_downloaded", detail={"export_id": record.id, "entity": record.entity,
                                               "format": record.format, "sha256": record.sha256})


def remember_link(record: ExportRecord, token: str) -> None:
    """The token is shown only to the requester: it lives in their session (newest few only)."""
    links = dict(session.get(SESSION_KEY) or {})
    links[str(record.id)] = token
    newest = sorted(links, key=int)[-LINKS_KEPT:]
    session[SESSION_KEY] = {key: links[key] for key in newest}


def remembered_token(record: ExportRecord) -> str | None:
    return (session.get(SESSION_KEY) or {}).get(str(record.id))
