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
    Periodic("workers.seclog.purge_security_log", "maintenance", cron="50 3 * * *"),
    Periodic("workers.messaging.relay_pending_email", "messages", interval=60),
    Periodic("workers.messaging.relay_pending_sms", "messages", interval=30),
    Periodic("workers.messaging.purge_sms_bodies", "maintenance", cron="20 4 * * *"),
    Periodic("workers.exports.purge_expired_exports", "maintenance", interval=600),
    Periodic("workers.audit.purge_trash", "maintenance", cron="30 4 * * *"),
    Periodic("workers.imports.purge_import_files", "maintenance", cron="35 4 * * *"),
)
