"""Backups: dump, compress, seal with two keys, record; restore checks; expiry.

A backup file ``bizalom-<UTC time>.bzbk`` is a sealed (``crypto``) gzip tar holding
``manifest.json`` and the dump. The check opens it with both keys, restores it into a scratch
database (a SQLite file, or ``<database>_restore_check`` on PostgreSQL), and compares the
restored copy's migration head, row counts and checksums with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import tarfile
import tempfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from webapp import clock
from webapp.backups import crypto, dump, keys, manifest
from webapp.backups.models import BackupRun, RestoreCheck
from webapp.extensions import db

log = logging.getLogger("bizalom.backups")
SUFFIX = ".bzbk"


class BackupError(RuntimeError):
    """A backup or restore step failed; the message says which and why."""


def backup_dir() -> Path:
    configured = current_app.config.get("BACKUP_DIR")
    folder = Path(configured) if configured else Path(current_app.instance_path) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_days() -> int:
    return int(current_app.config.get("BACKUP_KEEP_DAYS") or 14)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(clock.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _seal(target: Path, dump_file: Path, found: dict, server: keys.ServerKeys) -> None:
    with target.open("wb") as out:
        writer = crypto.EncryptingWriter(out, server.online, server.recipient_public)
        with tarfile.open(fileobj=writer, mode="w|gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(found, sort_keys=True).encode())
            archive.add(dump_file, arcname=dump.dump_name(found["dialect"]))
        writer.close()


def run_backup() -> BackupRun:
    """Make one backup (commits its record before and after: the run is on record even if it fails)."""
    server = keys.server_keys()
    stamp = clock.now().strftime("%Y%m%dT%H%M%S%fZ")
    run = BackupRun(file_name=f"bizalom-{stamp}{SUFFIX}", dialect=db.engine.dialect.name, state="running")
    db.session.add(run)
    db.session.commit()
    target = backup_dir() / run.file_name
    try:
        with tempfile.TemporaryDirectory(dir=backup_dir()) as scratch:
            dump_file = Path(scratch) / dump.dump_name(run.dialect)
            found = dump.dump(db.engine, dump_file)
            _seal(target, dump_file, found, server)
    except (dump.DumpError, crypto.BackupCryptoError, OSError) as exc:
        target.unlink(missing_ok=True)
        run.state, run.error, run.finished_at = "failed", str(exc)[:500], clock.now()
        db.session.commit()
        raise BackupError(f"backup failed: {exc}") from exc
    run.state, run.finished_at = "done", clock.now()
    run.size_bytes, run.sha256 = target.stat().st_size, _sha256(target)
    run.heads = ",".join(found["heads"])[:200]
    run.table_count = len(found["tables"])
    run.row_count = sum(table["rows"] for table in found["tables"].values())
    db.session.commit()
    log.info("backup %s written (%s bytes, %s rows)", run.file_name, run.size_bytes, run.row_count)
    return run


def open_backup(path: Path, online_key: str, offline_private: str, into: Path) -> tuple[dict, Path]:
    """Decrypt and unpack a backup into ``into``: (manifest, dump file). Refuses damaged files and wrong keys."""
    sealed = into / "payload.tar.gz"
    try:
        with path.open("rb") as source, sealed.open("wb") as out:
            crypto.decrypt(source, out, online_key, offline_private)
    except FileNotFoundError as exc:
        raise BackupError(f"no backup file at {path}") from exc
    except crypto.BackupCryptoError as exc:
        raise BackupError(str(exc)) from exc
    try:
        with tarfile.open(sealed, mode="r:gz") as archive:
            found = json.loads(archive.extractfile("manifest.json").read())
            name = dump.dump_name(found["dialect"])
            archive.extract(name, path=into, filter="data")
    except (tarfile.TarError, KeyError, ValueError, AttributeError, OSError) as exc:
        raise BackupError(f"the backup's content is damaged: {exc}") from exc
    sealed.unlink()
    return found, into / name


def _restore_and_measure(found: dict, dump_file: Path, scratch: Path) -> dict:
    if found["dialect"] == "sqlite":
        return dump.sqlite_manifest(dump_file)
    if db.engine.dialect.name != "postgresql":
        raise BackupError("a PostgreSQL backup can only be checked from a PostgreSQL deployment")
    url = dump.scratch_url(db.engine.url)
    dump.recreate_postgres(url)
    try:
        return dump.restore_postgres(dump_file, url)
    finally:
        dump.drop_postgres(url)


def _report(run: BackupRun | None, outcome: str, summary: str, detail: dict) -> RestoreCheck:
    now = clock.now()
    body = {"checked_at": now.isoformat(), "backup": run.file_name if run else None, "outcome": outcome,
            "summary": summary, **detail}
    reports = backup_dir() / "reports"
    reports.mkdir(exist_ok=True)
    report_file = reports / f"restore-check-{now:%Y-%m-%d}.json"
    report_file.write_text(json.dumps(body, indent=2, sort_keys=True))
    check = RestoreCheck(backup=run, outcome=outcome, summary=summary[:500], report=json.dumps(body),
                         report_file=report_file.name)
    db.session.add(check)
    db.session.flush()
    return check


def latest_backup() -> BackupRun | None:
    query = select(BackupRun).where(BackupRun.state == "done", BackupRun.expired_at.is_(None))
    return db.session.scalars(query.order_by(BackupRun.id.desc()).limit(1)).first()


def check_backup(run: BackupRun | None, offline_private: str | None) -> RestoreCheck:
    """Restore a backup into scratch and compare it with its manifest; records a report (flushes)."""
    if run is None:
        return _report(None, "failed", "no backup to check", {})
    if not offline_private:
        return _report(run, "skipped", "the offline key is not on this machine: run `flask backups check "
                       "--offline-key FILE` where it is kept", {})
    try:
        server = keys.server_keys()
        with tempfile.TemporaryDirectory(dir=backup_dir()) as scratch:
            found, dump_file = open_backup(backup_dir() / run.file_name, server.online, offline_private, Path(scratch))
            restored = _restore_and_measure(found, dump_file, Path(scratch))
    except (BackupError, dump.DumpError, crypto.BackupCryptoError) as exc:
        return _report(run, "failed", str(exc), {})
    problems = manifest.compare(found, restored)
    code_heads = sorted(_code_heads())
    if code_heads and any(head not in _known_revisions() for head in restored["heads"]):
        problems.append(f"restored migration head {restored['heads']} is unknown to this code")
    detail = {"heads": restored["heads"], "code_heads": code_heads, "problems": problems,
              "tables": {name: table["rows"] for name, table in restored["tables"].items()}}
    if problems:
        return _report(run, "failed", f"{len(problems)} difference(s): {problems[0]}", detail)
    rows = sum(table["rows"] for table in restored["tables"].values())
    return _report(run, "passed", f"restored {len(restored['tables'])} tables, {rows} rows: all checksums equal",
                   detail)


def _script():
    from alembic.script import ScriptDirectory

    migrate = current_app.extensions["migrate"]
    return ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))


def _code_heads() -> list[str]:
    return list(_script().get_heads())


def _known_revisions() -> set[str]:
    return {revision.revision for revision in _script().walk_revisions()}


def expire_backups() -> int:
    """Delete backup files older than BACKUP_KEEP_DAYS (the newest good backup is always kept)."""
    cutoff = clock.now() - timedelta(days=keep_days())
    newest = latest_backup()
    query = select(BackupRun).where(BackupRun.expired_at.is_(None), BackupRun.created_at < cutoff)
    count = 0
    for run in db.session.scalars(query):
        if newest is not None and run.id == newest.id:
            continue
        (backup_dir() / run.file_name).unlink(missing_ok=True)
        run.expired_at = clock.now()
        count += 1
    db.session.flush()
    return count


def restore_to(path: Path, online_key: str, offline_private: str, target: str) -> dict:
    """Restore a backup file into a new SQLite file or an empty PostgreSQL database (URL)."""
    with tempfile.TemporaryDirectory() as scratch:
        found, dump_file = open_backup(path, online_key, offline_private, Path(scratch))
        if found["dialect"] == "sqlite":
            destination = Path(target.removeprefix("sqlite:///"))
            if destination.exists():
                raise BackupError(f"{destination} exists; restore only into a new file")
            shutil.copyfile(dump_file, destination)
            return dump.sqlite_manifest(destination)
        return dump.restore_postgres(dump_file, dump.parse_url(target))


def recent_runs(limit: int = 30) -> list[BackupRun]:
    return list(db.session.scalars(select(BackupRun).order_by(BackupRun.id.desc()).limit(limit)))


def recent_checks(limit: int = 30) -> list[RestoreCheck]:
    return list(db.session.scalars(select(RestoreCheck).order_by(RestoreCheck.id.desc()).limit(limit)))
