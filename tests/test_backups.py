"""Backups: two-key encryption, restore check against the manifest, corrupted files, wrong keys, expiry."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from tests.backup_fixtures import ONLINE_KEY, backup_keys, source_app  # noqa: F401 - fixtures
from webapp.backups import crypto, services
from webapp.backups.models import BackupRun, RestoreCheck
from webapp.extensions import db


@pytest.fixture()
def source(source_app):  # noqa: F811 - fixture
    with source_app.app_context():
        yield source_app
        db.session.remove()


@pytest.fixture()
def backup(source) -> BackupRun:
    return services.run_backup()


def _file(run: BackupRun) -> Path:
    return services.backup_dir() / run.file_name


def _an_email() -> str:
    from webapp.accounts.models import User

    return db.session.scalars(select(User.email).limit(1)).one()


def test_backup_is_encrypted_and_its_restore_check_finds_equal_checksums(source, backup, backup_keys):  # noqa: F811 - fixture
    assert backup.state == "done" and backup.dialect == db.engine.dialect.name
    data = _file(backup).read_bytes()
    assert data.startswith(crypto.MAGIC) and backup.size_bytes == len(data)
    assert _an_email().encode() not in data and b"CREATE TABLE" not in data
    assert backup.table_count > 10 and backup.row_count > 100 and backup.heads
    check = services.check_backup(backup, backup_keys.private)
    db.session.commit()
    report = json.loads(check.report)
    assert check.outcome == "passed", check.summary
    assert report["problems"] == [] and report["tables"]["contacts"] > 0
    assert report["heads"] == backup.heads.split(",")
    written = services.backup_dir() / "reports" / check.report_file
    assert json.loads(written.read_text())["outcome"] == "passed"
    assert check.report_file == f"restore-check-{datetime.now(UTC):%Y-%m-%d}.json"


def test_the_online_key_alone_or_a_wrong_offline_key_cannot_open_a_backup(source, backup, backup_keys):  # noqa: F811 - fixture
    other = crypto.generate_key_pair()
    check = services.check_backup(backup, other.private)
    assert check.outcome == "failed" and "cannot decrypt" in check.summary
    source.config["BACKUP_ONLINE_KEY"] = "a-different-online-key-123456"
    try:
        check = services.check_backup(backup, backup_keys.private)
    finally:
        source.config["BACKUP_ONLINE_KEY"] = ONLINE_KEY
    assert check.outcome == "failed" and "wrong online key or offline key" in check.summary
    check = services.check_backup(backup, "bm90IGEga2V5")  # a key of the wrong size: refused, not guessed
    db.session.commit()
    assert check.outcome == "failed" and "32 bytes" in check.summary


@pytest.mark.parametrize(("damage", "says"), [
    (lambda data: data[:-100] + bytes([data[-100] ^ 1]) + data[-99:], "damaged"),
    (lambda data: data[:200] + bytes([data[200] ^ 1]) + data[201:], "backup file"),
    (lambda data: data[: len(data) // 2], "truncated"),
    (lambda data: data[:-40], "truncated"),
    (lambda data: b"PK\x03\x04" + data[4:], "not a Bizalom backup"),
    (lambda data: b"", "not a Bizalom backup"),
])
def test_a_damaged_backup_file_fails_the_check_with_a_clear_reason(source, backup, backup_keys, damage, says):  # noqa: F811 - fixture
    path = _file(backup)
    path.write_bytes(damage(path.read_bytes()))
    check = services.check_backup(backup, backup_keys.private)
    db.session.commit()
    assert check.outcome == "failed" and says in check.summary, check.summary
    assert db.session.get(RestoreCheck, check.id).backup_run_id == backup.id


def test_without_the_offline_key_the_check_is_recorded_as_skipped(source, backup):
    check = services.check_backup(backup, None)
    db.session.commit()
    assert check.outcome == "skipped" and "--offline-key" in check.summary


def test_restore_command_rebuilds_the_database(source, backup, backup_keys, tmp_path):  # noqa: F811 - fixture
    key_file = tmp_path / "offline.key"
    key_file.write_text(backup_keys.private)
    if db.engine.dialect.name == "sqlite":
        target = str(tmp_path / "restored.sqlite3")
    else:
        from webapp.backups import dump

        url = db.engine.url.set(database=f"{db.engine.url.database}_restored")
        dump.recreate_postgres(url)
        target = url.render_as_string(hide_password=False)
    result = source.test_cli_runner().invoke(args=["backups", "restore", str(_file(backup)), target,
                                                   "--offline-key", str(key_file)])
    assert result.exit_code == 0, result.output
    assert f"head {backup.heads}" in result.output and "restored" in result.output
    if db.engine.dialect.name == "postgresql":
        dump.drop_postgres(url)


def test_restore_command_refuses_a_missing_key_file_and_a_wrong_key(source, backup, tmp_path):
    runner = source.test_cli_runner()
    result = runner.invoke(args=["backups", "restore", str(_file(backup)), str(tmp_path / "x.sqlite3"),
                                 "--offline-key", str(tmp_path / "missing.key")])
    assert result.exit_code != 0 and "cannot read the offline key file" in result.output
    wrong = tmp_path / "wrong.key"
    wrong.write_text(crypto.generate_key_pair().private)
    result = runner.invoke(args=["backups", "restore", str(_file(backup)), str(tmp_path / "x.sqlite3"),
                                 "--offline-key", str(wrong)])
    assert result.exit_code != 0 and "cannot decrypt" in result.output
    assert not (tmp_path / "x.sqlite3").exists()


def test_cli_run_and_check(source, backup_keys, tmp_path, monkeypatch):  # noqa: F811 - fixture
    runner = source.test_cli_runner()
    result = runner.invoke(args=["backups", "run"])
    assert result.exit_code == 0 and ".bzbk" in result.output
    result = runner.invoke(args=["backups", "check"])
    assert result.exit_code == 1 and "skipped" in result.output
    key_file = tmp_path / "offline.key"
    key_file.write_text(backup_keys.private)
    monkeypatch.setenv("BACKUP_OFFLINE_KEY_FILE", str(key_file))
    result = runner.invoke(args=["backups", "check"])
    assert result.exit_code == 0 and result.output.startswith("passed"), result.output


def test_old_backups_expire_and_the_newest_good_one_stays(source):
    with time_machine.travel(datetime.now(UTC) - timedelta(days=20)):
        old = services.run_backup()
        older_still = services.run_backup()
    with time_machine.travel(datetime.now(UTC) - timedelta(days=10)):
        recent = services.run_backup()
    assert services.expire_backups() >= 2
    db.session.commit()
    assert not _file(old).exists() and not _file(older_still).exists() and _file(recent).exists()
    assert old.expired_at is not None and recent.expired_at is None
    source.config["BACKUP_KEEP_DAYS"] = "1"
    try:
        services.expire_backups()
        db.session.commit()
        newest = services.latest_backup()
        assert newest is not None and _file(newest).exists(), "the newest good backup is never expired"
    finally:
        source.config["BACKUP_KEEP_DAYS"] = "14"


def test_keygen_prints_a_usable_pair(source, tmp_path):
    result = source.test_cli_runner().invoke(args=["backups", "keygen"])
    public = result.output.split("BACKUP_RECIPIENT_PUBLIC_KEY=")[1].split()[0]
    private = result.output.rsplit(": ", 1)[1].strip()
    sealed = tmp_path / "sealed"
    with sealed.open("wb") as out:
        writer = crypto.EncryptingWriter(out, ONLINE_KEY, public)
        writer.write(b"x" * (crypto.CHUNK * 2 + 5))
        writer.close()
    opened = tmp_path / "opened"
    with sealed.open("rb") as source_file, opened.open("wb") as out:
        assert crypto.decrypt(source_file, out, ONLINE_KEY, private) == crypto.CHUNK * 2 + 5
