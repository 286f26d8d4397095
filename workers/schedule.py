"""Periodic jobs, declared as data. ``workers/cron_config.py`` feeds them to ``rq cron``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Periodic:
    func: str
    queue: str
    cron: str | None = None
    interval: int | None = None

    def __post_init__(self):
        if (self.cron is None) == (self.interval is None):
            raise ValueError(f"{self.func}: give exactly one of cron or interval")


PERIODIC_JOBS: tuple[Periodic, ...] = (
    Periodic("workers.maintenance.redispatch_lost_tasks", "maintenance", interval=300),
    Periodic("workers.maintenance.purge_old_tasks", "maintenance", cron="40 3 * * *"),
    Periodic("workers.seclog.drain_security_log", "maintenance", interval=10),
    Periodic("workers.messaging.relay_pending_email", "messages", interval=60),
    Periodic("workers.messaging.relay_pending_sms", "messages", interval=30),
    Periodic("workers.exports.purge_expired_exports", "maintenance", interval=600),
    Periodic("workers.reports.purge_expired_reports", "maintenance", interval=3600),
    Periodic("workers.imports.purge_import_files", "maintenance", cron="35 4 * * *"),
    Periodic("workers.analytics.flush_page_views", "maintenance", interval=10),
    Periodic("workers.analytics.rollup_analytics", "maintenance", cron="15 0 * * *"),
    Periodic("workers.analytics.rollup_analytics_today", "maintenance", interval=300),
    Periodic("workers.retention.run_retention", "maintenance", cron="20 4 * * *"),
    Periodic("workers.backups.run_backup", "maintenance", cron="15 2 * * *"),
    Periodic("workers.backups.check_latest_backup", "maintenance", cron="45 2 * * *"),
    Periodic("workers.trials.close_expired_trials", "maintenance", cron="5 1 * * *"),
    Periodic("workers.erasure.scrub_sent_notices", "maintenance", interval=600),
)
