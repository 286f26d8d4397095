"""``flask backups run|check|restore|expire|keygen``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from webapp.backups import crypto, keys, services
from webapp.backups.models import BackupRun
from webapp.extensions import db

OFFLINE_KEY_HELP = f"file holding the offline private key (default: ${keys.OFFLINE_KEY_ENV})"


@click.group()
def backups():
    """Encrypted backups and restore checks."""


@backups.command("run")
@with_appcontext
def run_command():
    """Make a backup now, then expire old ones."""
    try:
        run = services.run_backup()
    except (services.BackupError, crypto.BackupCryptoError) as exc:
        raise click.ClickException(str(exc)) from exc
    expired = services.expire_backups()
    db.session.commit()
    click.echo(f"{run.file_name}\t{run.size_bytes} bytes\t{run.table_count} tables\t{run.row_count} rows"
               f"\texpired {expired}")


@backups.command("check")
@click.option("--offline-key", "offline_key", type=click.Path(dir_okay=False), help=OFFLINE_KEY_HELP)
@click.option("--file", "file_name", help="backup file name in BACKUP_DIR (default: the newest)")
@with_appcontext
def check_command(offline_key: str | None, file_name: str | None):
    """Restore a backup into a scratch database and compare it with its manifest."""
    try:
        private = keys.offline_private_key(offline_key)
    except keys.MissingKey as exc:
        raise click.ClickException(str(exc)) from exc
    run = db.session.query(BackupRun).filter_by(file_name=file_name).one_or_none() if file_name \
        else services.latest_backup()
    if file_name and run is None:
        raise click.ClickException(f"no backup named {file_name!r} on record")
    check = services.check_backup(run, private)
    db.session.commit()
    click.echo(f"{check.outcome}: {check.summary} (report {check.report_file})")
    if check.outcome != "passed":
        sys.exit(1)


@backups.command("restore")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False))
@click.argument("target")
@click.option("--offline-key", "offline_key", type=click.Path(dir_okay=False), help=OFFLINE_KEY_HELP)
@with_appcontext
def restore_command(backup_file: str, target: str, offline_key: str | None):
    """Restore BACKUP_FILE into TARGET: a new SQLite file path, or the URL of an empty PostgreSQL database."""
    try:
        private = keys.offline_private_key(offline_key)
        if not private:
            raise keys.MissingKey(f"give --offline-key FILE or set {keys.OFFLINE_KEY_ENV}")
        found = services.restore_to(Path(backup_file), keys.server_keys().online, private, target)
    except (services.BackupError, crypto.BackupCryptoError) as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(table["rows"] for table in found["tables"].values())
    click.echo(f"restored {len(found['tables'])} tables, {rows} rows, head {','.join(found['heads'])}")


@backups.command("expire")
@with_appcontext
def expire_command():
    """Delete backups older than BACKUP_KEEP_DAYS."""
    count = services.expire_backups()
    db.session.commit()
    click.echo(f"expired {count} backup(s)")


@backups.command("keygen")
def keygen_command():
    """Print a new offline key pair: keep the private half offline, configure the public half."""
    pair = crypto.generate_key_pair()
    click.echo(f"BACKUP_RECIPIENT_PUBLIC_KEY={pair.public}")
    click.echo(f"offline private key (store it offline, never on the server): {pair.private}")
