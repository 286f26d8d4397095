"""The existing purges under the engine: security log chains, the trash, import and export files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from webapp import tenancy
from webapp.audit import services as audit
from webapp.crm.models import Contact
from webapp.retention import services
from webapp.seclog import chain, drain
from webapp.seclog.models import SecurityEvent
from webapp.seclog.services import BUFFER_KEY, record

NOW = datetime(2026, 11, 25, 4, 20, tzinfo=UTC)


def items(report):
    return {item.target: item for item in services.items_of(report)}


@pytest.fixture()
def aged_log(db_session, redis_conn):
    redis_conn.delete(BUFFER_KEY, drain.PROCESSING_KEY, drain.LOCK_KEY)
    for kind, days, user in (("login_failed", 366, 366), ("access", 91, 91), ("login_ok", 364, 364),
                             ("access", 89, 89)):
        with time_machine.travel(NOW - timedelta(days=days)):
            record(kind, user_id=user)
    assert drain.drain() == 4


def test_security_log_classes_keep_90_and_365_days_and_the_chains_verify(db_session, aged_log):
    report = services.run(as_of=NOW)
    assert items(report)["security_log_detailed"].affected == 1
    assert items(report)["security_log_events"].affected == 1
    drain.drain()
    db_session.expire_all()
    users = [e.user_id for e in db_session.scalars(select(SecurityEvent).order_by(SecurityEvent.seq))
             if e.kind != "log_purged"]
    assert sorted(users) == [89, 364]
    assert chain.verify().ok


def test_security_log_dry_run_deletes_nothing(db_session, aged_log):
    report = services.run(as_of=NOW, dry_run=True)
    lines = items(report)
    assert (lines["security_log_detailed"].candidates, lines["security_log_events"].candidates) == (1, 1)
    db_session.expire_all()
    assert len(db_session.scalars(select(SecurityEvent)).all()) == 4


def test_a_held_user_keeps_the_security_log_from_their_first_entry_on(db_session, make, redis_conn):
    redis_conn.delete(BUFFER_KEY, drain.PROCESSING_KEY, drain.LOCK_KEY)
    held = make.user(email="held.user@example.org")
    db_session.commit()
    for user_id, days in ((900001, 400), (held.id, 390), (900002, 380)):
        with time_machine.travel(NOW - timedelta(days=days)):
            record("login_failed", user_id=user_id)
    drain.drain()
    services.add_hold(scope="person", email="held.user@example.org", reason="claim", created_by_id=None)
    db_session.commit()
    report = services.run(as_of=NOW)
    assert items(report)["security_log_events"].affected == 1, "the prefix stops before the held user's entry"
    drain.drain()
    db_session.expire_all()
    users = [e.user_id for e in db_session.scalars(select(SecurityEvent).where(SecurityEvent.chain == "security")
                                                   .order_by(SecurityEvent.seq)) if e.kind != "log_purged"]
    assert users == [held.id, 900002]
    assert chain.verify().ok


def test_trash_is_purged_30_days_after_trashing(db_session, make):
    tenant = make.tenant()
    old, recent = (make.contact(tenant, last_name=name).id for name in ("Old", "Recent"))
    for contact_id, days in ((old, 31), (recent, 29)):
        with time_machine.travel(NOW - timedelta(days=days), tick=False), tenancy.scoped(tenant.id):
            audit.trash(Contact, [contact_id])
    db_session.commit()
    dry = services.run(as_of=NOW, dry_run=True)
    assert items(dry)["trashed_records"].candidates == 1
    report = services.run(as_of=NOW)
    assert items(report)["trashed_records"].affected == 1
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        assert set(db_session.scalars(select(Contact.id))) == {recent}


def test_file_targets_run_without_error(db_session):
    report = services.run(as_of=NOW)
    assert items(report)["import_files"].error is None
    assert items(report)["export_files"].error is None
    assert report.status == "finished"


def test_export_files_go_when_their_link_expires(db_session, make, app):
    from webapp.exports import services as exports
    from webapp.exports.models import ExportRecord

    tenant = make.tenant()
    records = []
    with tenancy.scoped(tenant.id):
        for hours_left in (1, -1):
            record = ExportRecord(entity="contacts", format="csv", filters={}, token_hash="0" * 64,
                                  file_path=f"{tenant.id}/retention-{hours_left}.csv",
                                  expires_at=NOW + timedelta(hours=hours_left), created_at=NOW - timedelta(hours=20))
            db_session.add(record)
            db_session.flush()
            path = exports.file_of(record)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("name\nErika\n")
            records.append((record, path))
    db_session.commit()
    report = services.run(as_of=NOW)
    assert items(report)["export_files"].affected == 1
    (live, live_path), (gone, gone_path) = records
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        assert live.purged_at is None and live_path.exists()
        assert gone.purged_at is not None and not gone_path.exists()
    live_path.unlink()


def test_a_record_hold_keeps_a_trashed_contact(db_session, make):
    tenant = make.tenant()
    held, free = (make.contact(tenant, last_name=name).id for name in ("Held", "Free"))
    with time_machine.travel(NOW - timedelta(days=40), tick=False), tenancy.scoped(tenant.id):
        audit.trash(Contact, [held, free])
    services.add_hold(scope="record", table_name="contacts", record_id=held, reason="dispute", created_by_id=None)
    db_session.commit()
    assert "contacts" in services.held_tables()
    assert items(services.run(as_of=NOW, dry_run=True))["trashed_records"].candidates == 1
    services.run(as_of=NOW)
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        assert set(db_session.scalars(select(Contact.id))) == {held}
