"""Export jobs: write one export file; delete expired export files (periodic)."""

from __future__ import annotations

from webapp import tenancy
from webapp.exports import producer
from workers.context import job, report_progress


@job
def run_export(export_id: int) -> str:
    """Write export ``export_id`` as its own tenant; progress is reported after every batch."""
    tenant_id = producer.tenant_of(int(export_id))
    if tenant_id is None:
        return "no such export"
    with tenancy.scoped(tenant_id):
        return producer.produce(int(export_id), report_progress)


@job(track=False)  # every few minutes from `rq cron`: no Task row each time
def purge_expired_exports() -> str:
    """Delete the files of expired exports and any file no live export refers to."""
    purged = producer.purge_expired()
    swept = producer.sweep_orphans()
    return f"purged {purged}, swept {swept}"
