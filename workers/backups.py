"""Backup jobs: the daily backup (then expiry) and the restore check of the newest backup.

The check needs the offline private key, which is not kept on the servers: it runs where
``BACKUP_OFFLINE_KEY_FILE`` names the key (a separate check machine), and otherwise records a
``skipped`` report that says so. ``make run`` uses generated test keys instead.
"""

from __future__ import annotations

from webapp.backups import keys, services
from workers.context import job


@job
def run_backup() -> str:
    run = services.run_backup()
    expired = services.expire_backups()
    return f"{run.file_name}: {run.table_count} tables, {run.row_count} rows; expired {expired}"


@job
def check_latest_backup() -> str:
    check = services.check_backup(services.latest_backup(), keys.offline_private_key())
    return f"{check.outcome}: {check.summary}"[:500]
