"""The daily retention run (``rq cron``): purge what the records of processing say has expired."""

from __future__ import annotations

from webapp.retention import services
from workers.context import job


@job
def run_retention(dry_run: bool = False) -> str:
    """One run with its report (counts per category, no personal data); commits per batch."""
    report = services.run(dry_run=bool(dry_run), trigger="cron")
    items = services.items_of(report)
    return f"run {report.id} {report.status}: " + ", ".join(f"{item.target} {item.affected}" for item in items)
