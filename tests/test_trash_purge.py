"""The final purge: 29 days in the trash are kept, 31 days are deleted for good, tenant by tenant,
in batches, by the job, with a purge row per record and no personal data left in the log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from webapp import tenancy
from webapp.audit import purge, services
from webapp.audit.models import AuditEntry
from webapp.crm.models import Company, Contact
from webapp.jobs import services as jobs
from webapp.jobs.models import Task
from workers import audit as audit_jobs

NOW = datetime(2026, 11, 25, 4, 10, tzinfo=UTC)


def entries(db_session, tenant, **where) -> list[AuditEntry]:
    with tenancy.scoped(tenant.id):
        return list(db_session.scalars(select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)))


def existing(db_session, tenant, model) -> set[int]:
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        return set(db_session.scalars(select(model.id)))


def trash_days_ago(tenant, model, ids, days: int) -> None:
    with time_machine.travel(NOW - timedelta(days=days), tick=False), tenancy.scoped(tenant.id):
        services.trash(model, ids)


@pytest.fixture()
def aged(make):
    """Contacts trashed 31 and 29 days ago, one live; a company (with a contact) trashed 31 days ago."""
    tenant = make.tenant()
    old, recent, live = (make.contact(tenant, last_name=name).id for name in ("Old", "Recent", "Live"))
    company = make.company(tenant, name="Gone Kft.")
    employee = make.contact(tenant, last_name="Employee", company_id=company.id).id
    trash_days_ago(tenant, Contact, [old], 31)
    trash_days_ago(tenant, Contact, [recent], 29)
    trash_days_ago(tenant, Company, [company.id], 31)
    return tenant, {"old": old, "recent": recent, "live": live, "company": company.id, "employee": employee}


def run_purge(db_session) -> str:
    with time_machine.travel(NOW, tick=False):
        return audit_jobs.purge_trash()


def test_29_days_are_kept_and_31_days_are_purged(db_session, aged):
    tenant, ids = aged
    assert run_purge(db_session) == "purged company 1, contact 2"
    assert existing(db_session, tenant, Contact) == {ids["recent"], ids["live"]}
    assert existing(db_session, tenant, Company) == set()


def test_purge_rows_hold_ids_and_a_note_and_the_history_loses_its_values(db_session, aged):
    tenant, ids = aged
    run_purge(db_session)
    purged = entries(db_session, tenant, action="purge")
    assert {(row.record_type, row.record_id) for row in purged} == {
        ("contact", ids["old"]), ("contact", ids["employee"]), ("company", ids["company"])}
    assert all(row.changes is None and row.note == "in the trash for more than 30 days" for row in purged)
    assert all(row.actor_job == "workers.audit.purge_trash" and row.actor_user_id is None for row in purged)
    assert all(row.occurred_at == NOW for row in purged)
    history = entries(db_session, tenant, record_type="contact", record_id=ids["old"])
    assert [row.action for row in history] == ["create", "trash", "purge"]
    assert all(row.changes is None for row in history)
    kept = entries(db_session, tenant, record_type="contact", record_id=ids["recent"])
    assert kept[0].changes["last_name"] == [None, "Recent"]


def test_nothing_is_purged_a_day_early(db_session, aged):
    tenant, ids = aged
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        assert audit_jobs.purge_trash() == "purged nothing"
    assert ids["old"] in existing(db_session, tenant, Contact)


def test_retention_comes_from_the_config(app, db_session, aged, monkeypatch):
    tenant, ids = aged
    monkeypatch.setitem(app.config, "TRASH_RETENTION_DAYS", 28)
    assert run_purge(db_session) == "purged company 1, contact 3"
    assert existing(db_session, tenant, Contact) == {ids["live"]}


def test_each_tenant_is_purged_in_its_own_scope(db_session, make, aged):
    tenant, _ids = aged
    other = make.tenant()
    theirs = make.contact(other, last_name="Theirs").id
    trash_days_ago(other, Contact, [theirs], 40)
    run_purge(db_session)
    assert existing(db_session, other, Contact) == set()
    [row] = entries(db_session, other, action="purge")
    assert (row.tenant_id, row.record_id) == (other.id, theirs)
    assert theirs not in {row.record_id for row in entries(db_session, tenant, action="purge")}


def test_large_purges_go_in_batches(db_session, make, monkeypatch):
    monkeypatch.setattr(purge, "PURGE_BATCH", 2)
    tenant = make.tenant()
    ids = [make.contact(tenant).id for _ in range(5)]
    trash_days_ago(tenant, Contact, ids, 31)
    assert run_purge(db_session) == "purged contact 5"
    assert len(entries(db_session, tenant, action="purge")) == 5


def test_a_live_contact_of_a_purged_company_is_unlinked_and_audited(db_session, make):
    tenant = make.tenant()
    company = make.company(tenant).id
    trash_days_ago(tenant, Company, [company], 31)
    with tenancy.scoped(tenant.id):  # linked later, outside the services' cascade
        db_session.add(Contact(last_name="Late", company_id=company))
        db_session.flush()
    run_purge(db_session)
    [unlink] = entries(db_session, tenant, action="update", record_type="contact")
    assert unlink.changes == {"company_id": [company, None]} and unlink.via == f"company:{company}"


def test_the_job_runs_on_a_real_worker(db_session, run_jobs, aged):
    tenant, ids = aged
    task_id = jobs.enqueue("workers.audit.purge_trash", queue_name="maintenance").id
    db_session.commit()
    with time_machine.travel(NOW, tick=False):
        assert run_jobs() >= 1
    db_session.expire_all()
    task = db_session.get(Task, task_id)
    assert (task.state, task.result) == ("finished", "purged company 1, contact 2")
    assert ids["old"] not in existing(db_session, tenant, Contact)
    assert {row.actor_job for row in entries(db_session, tenant, action="purge")} == {"workers.audit.purge_trash"}
