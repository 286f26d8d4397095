"""Subject reports, the request side: start one, follow it, check a download link, purge old ones."""

from __future__ import annotations

import contextlib
import hmac
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app, session
from flask_babel import get_locale
from sqlalchemy import select, update

from webapp import clock
from webapp.crypto import new_token, token_hash
from webapp.dsr.models import DataRequest, DataRequestEvent
from webapp.extensions import db
from webapp.jobs import services as jobs
from webapp.jobs.models import Task
from webapp.jobs.services import Progress
from webapp.reports.models import FORMATS, SubjectReport

LINK_LIFETIME = timedelta(hours=24)
JOBS = {"access": "workers.reports.build_access_report", "portability": "workers.reports.build_portability"}
SESSION_KEY = "report_links"
LINKS_KEPT = 5
MIME_TYPES = {"html": "text/html", "json": "application/json", "xml": "application/xml", "csv": "text/csv",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class Refused(ValueError):
    """A kind and format that do not go together."""


def report_root() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "reports"


def file_of(report: SubjectReport) -> Path:
    root = report_root().resolve()
    path = (root / report.file_path).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"report {report.id} points outside the report folder")
    return path


def start(email: str, kind: str, fmt: str, *, request: DataRequest | None = None,
          user_id: int | None = None) -> tuple[SubjectReport, str]:
    """Record the report and enqueue its job (dispatched after commit); returns the link token."""
    if fmt not in FORMATS.get(kind, ()):
        raise Refused(f"{kind}/{fmt}")
    token, now = new_token(), clock.now()
    report = SubjectReport(request_id=request.id if request else None, kind=kind, format=fmt,
                           email=email.strip().lower(), file_path=f"{secrets.token_hex(16)}.{fmt}",
                           token_hash=token_hash(token), expires_at=now + LINK_LIFETIME, created_at=now)
    db.session.add(report)
    db.session.flush()
    task = jobs.enqueue(JOBS[kind], report.id, str(get_locale() or "en"), queue_name="exports",
                        job_id=f"report-{report.id}", user_id=user_id)
    report.task_id = task.id
    return report, token


def get(report_id: int) -> SubjectReport | None:
    return db.session.get(SubjectReport, report_id)


def of_request(request_id: int) -> list[SubjectReport]:
    return list(db.session.scalars(select(SubjectReport).where(SubjectReport.request_id == request_id)
                                   .order_by(SubjectReport.id.desc())))


def progress_of(report: SubjectReport) -> Progress:
    if report.sha256 is not None:
        return Progress("finished", 100)
    task = db.session.get(Task, report.task_id) if report.task_id else None
    if task is None or task.done:
        return Progress("failed", 0)  # a job that ended without writing the file failed
    percent, message = jobs.live_progress(task)
    return Progress(task.state, percent, message)


def is_expired(report: SubjectReport) -> bool:
    return clock.now() >= report.expires_at


def download_refusal(report: SubjectReport | None, token: str | None, email: str | None) -> int | None:
    """None if the file may be sent; else the status. 404 says nothing: unknown report, someone else's
    report (``email`` given and different), wrong token, file missing. 410: expired or used up."""
    if report is None or (email is not None and not hmac.compare_digest(report.email, email.strip().lower())):
        return 404
    if not token or len(token) > 100 or not hmac.compare_digest(token_hash(token), report.token_hash):
        return 404
    if is_expired(report) or (report.single_use and report.downloaded_at is not None):
        return 410
    if report.sha256 is None or not file_of(report).is_file():
        return 404
    return None


def claim_download(report: SubjectReport) -> bool:
    """Mark the download; for a single-use file only the first caller wins (a conditional update)."""
    now = clock.now()
    if not report.single_use:
        report.downloaded_at = report.downloaded_at or now
        return True
    claimed = db.session.execute(update(SubjectReport).where(
        SubjectReport.id == report.id, SubjectReport.downloaded_at.is_(None)).values(downloaded_at=now)).rowcount
    return claimed == 1


def record_built(report: SubjectReport, sha256: str) -> None:
    """The job's last step: the file's hash, and an event on the request it answers."""
    report.sha256 = sha256
    if report.request_id is not None:
        db.session.add(DataRequestEvent(request_id=report.request_id, at=clock.now(), action="report_built",
                                        note=f"{report.kind} ({report.format}), sha256 {sha256[:16]}…"))
    db.session.flush()


def purge_expired() -> int:
    """Delete the files and rows of reports whose link has expired; returns how many."""
    expired = list(db.session.scalars(select(SubjectReport).where(SubjectReport.expires_at <= clock.now())
                                      .limit(1000)))
    for report in expired:
        with contextlib.suppress(ValueError):  # a path outside the folder is never touched
            file_of(report).unlink(missing_ok=True)
        db.session.delete(report)
    db.session.flush()
    return len(expired)


def erase_for(email: str) -> int:
    """For an erasure: delete every report (row and file) made for ``email``; returns how many."""
    reports = list(db.session.scalars(select(SubjectReport).where(SubjectReport.email == email.strip().lower())))
    for report in reports:
        with contextlib.suppress(ValueError):
            file_of(report).unlink(missing_ok=True)
        db.session.delete(report)
    db.session.flush()
    return len(reports)


def remember_link(report: SubjectReport, token: str) -> None:
    """The token is shown only in the session that asked for the report (newest few only)."""
    links = dict(session.get(SESSION_KEY) or {})
    links[str(report.id)] = token
    newest = sorted(links, key=int)[-LINKS_KEPT:]
    session[SESSION_KEY] = {key: links[key] for key in newest}


def remembered_token(report: SubjectReport) -> str | None:
    return (session.get(SESSION_KEY) or {}).get(str(report.id))
