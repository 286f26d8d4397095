"""Subject report jobs: build an access report or a portability file; purge expired ones (periodic)."""

from __future__ import annotations

from webapp.reports import producer, services
from workers.context import job, report_progress


@job
def build_access_report(report_id: int, locale: str = "en") -> str:
    """The access report (HTML, JSON or XML) for the report's proven address."""
    return producer.build(int(report_id), "access", str(locale), report_progress)


@job
def build_portability(report_id: int, locale: str = "en") -> str:
    """The data the person provided (CSV, XLSX or XML)."""
    return producer.build(int(report_id), "portability", str(locale), report_progress)


@job(track=False)  # hourly from `rq cron`: no Task row each time
def purge_expired_reports() -> str:
    return f"purged {services.purge_expired()}"
