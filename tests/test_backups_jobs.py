"""Backup jobs on the schedule, the staff page, and the settings."""

from __future__ import annotations

import pytest

from workers.schedule import PERIODIC_JOBS


def test_backup_and_check_are_daily_periodic_jobs_in_that_order():
    jobs = {job.func: job for job in PERIODIC_JOBS}
    backup, check = jobs["workers.backups.run_backup"], jobs["workers.backups.check_latest_backup"]
    assert backup.queue == check.queue == "maintenance"
    backup_minute, backup_hour = map(int, backup.cron.split()[:2])
    check_minute, check_hour = map(int, check.cron.split()[:2])
    assert (check_hour, check_minute) > (backup_hour, backup_minute)


def test_backup_job_runs_on_a_worker_and_the_check_job_reports(db_session, run_jobs, app, tmp_path, monkeypatch):
    from webapp.backups.crypto import generate_key_pair
    from webapp.jobs.models import Task
    from webapp.jobs.services import enqueue

    pair = generate_key_pair()
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "BACKUP_ONLINE_KEY", "online-key-of-the-job-test-123")
    monkeypatch.setitem(app.config, "BACKUP_RECIPIENT_PUBLIC_KEY", pair.public)
    key_file = tmp_path / "offline.key"
    key_file.write_text(pair.private)
    monkeypatch.setenv("BACKUP_OFFLINE_KEY_FILE", str(key_file))
    backup = enqueue("workers.backups.run_backup", queue_name="maintenance")
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert db_session.get(Task, backup.id).state == "finished"
    assert list(tmp_path.glob("bizalom-*.bzbk"))
    check = enqueue("workers.backups.check_latest_backup", queue_name="maintenance")
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    result = db_session.get(Task, check.id).result
    assert result.startswith("passed"), result


@pytest.mark.parametrize("htmx", [False, True])
def test_staff_operators_see_backups_and_check_reports(client, make, login, db_session, htmx):
    from webapp.backups.models import BackupRun, RestoreCheck

    run = BackupRun(file_name="bizalom-20260101T000000Z.bzbk", dialect="sqlite", state="done", size_bytes=1234,
                    table_count=40, row_count=900)
    db_session.add(run)
    db_session.add(RestoreCheck(backup=run, outcome="passed", summary="restored 40 tables, 900 rows", report="{}",
                                report_file="restore-check-2026-01-01.json"))
    db_session.commit()
    login(make.user(staff_role="operator"))
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/staff/backups/", headers=headers)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers.get("Vary", "")
    assert "bizalom-20260101T000000Z.bzbk" in page and "restored 40 tables, 900 rows" in page
    assert ("<html" in page) is not htmx


def test_other_staff_and_tenant_users_are_refused(client, make, login):
    login(make.user(staff_role="support"))
    assert client.get("/staff/backups/").status_code == 403
