"""The retention engine: time travel per rule, holds and restrictions, dry runs, reports without
personal data, anonymising that keeps aggregates, rules read from the records of processing."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from webapp import clock
from webapp.leads.models import Lead
from webapp.messaging.models import SmsMessage
from webapp.processing import services as processing
from webapp.retention import engine, registry, services
from webapp.retention.models import LegalHold, RetentionRun, RetentionRunItem
from webapp.retention.registry import Target

NOW = datetime(2026, 11, 25, 4, 20, tzinfo=UTC)
LEAD_TARGETS = ("leads_newsletter", "leads_workshop", "leads_trial", "leads_subscription")


def lead(db_session, source: str, age: timedelta, email: str | None = None, name: str = "Erika Muster") -> int:
    row = Lead(name=name, email=email or f"{uuid.uuid4().hex[:10]}@example.org", source=source,
               last_interaction_at=NOW - age)
    db_session.add(row)
    db_session.flush()
    return row.id


def live_leads(db_session) -> set[int]:
    db_session.expire_all()
    return set(db_session.scalars(select(Lead.id)))


def items(report: RetentionRun) -> dict[str, RetentionRunItem]:
    return {item.target: item for item in services.items_of(report)}


@pytest.mark.parametrize(("source", "kept_age", "purged_age"), [
    ("newsletter", timedelta(days=364, hours=23), timedelta(days=365, minutes=1)),
    ("workshop", timedelta(days=364, hours=23), timedelta(days=365, minutes=1)),
    ("trial", timedelta(days=364, hours=23), timedelta(days=365, minutes=1)),
    ("subscription", timedelta(days=3 * 365), timedelta(days=3 * 365 + 2)),  # 3 calendar years incl. 2028-02-29
])
def test_leads_are_kept_inside_their_period_and_purged_after_it(db_session, source, kept_age, purged_age):
    kept, purged = lead(db_session, source, kept_age), lead(db_session, source, purged_age)
    db_session.commit()
    with time_machine.travel(NOW, tick=False):
        report = services.run()
    assert live_leads(db_session) == {kept}
    assert purged not in live_leads(db_session)
    assert report.status == "finished" and not report.dry_run
    assert items(report)[f"leads_{source}"].affected == 1


def test_each_source_follows_its_own_rule(db_session):
    """Two years without interaction: gone for a newsletter, kept for a subscriber (3 years)."""
    newsletter, subscriber = (lead(db_session, source, timedelta(days=730))
                              for source in ("newsletter", "subscription"))
    db_session.commit()
    services.run(as_of=NOW)
    assert live_leads(db_session) == {subscriber}
    assert newsletter not in live_leads(db_session)


def test_the_rule_comes_from_the_records_of_processing(db_session):
    """A privacy officer shortens the newsletter period: the next purge follows."""
    recent = lead(db_session, "newsletter", timedelta(days=40))
    processing.update(processing.activity("newsletter"), {"period": 30}, None, "test")
    db_session.commit()
    services.run(as_of=NOW)
    assert recent not in live_leads(db_session)


def test_an_unsupported_clock_is_reported_and_nothing_goes(db_session):
    old = lead(db_session, "workshop", timedelta(days=5000))
    processing.update(processing.activity("workshop"), {"clock": "last_invoice"}, None, "test")
    db_session.commit()
    report = services.run(as_of=NOW)
    assert items(report)["leads_workshop"].error == "clock_unsupported"
    assert old in live_leads(db_session)


def test_a_dry_run_changes_nothing_and_says_what_would_go(db_session):
    ids = {lead(db_session, "newsletter", timedelta(days=400)) for _ in range(3)}
    db_session.commit()
    report = services.run(as_of=NOW, dry_run=True)
    assert ids <= live_leads(db_session)
    line = items(report)["leads_newsletter"]
    assert (report.dry_run, line.candidates, line.affected) == (True, 3, 0)
    preview = {outcome.target: outcome for outcome in engine.preview(NOW)}
    assert preview["leads_newsletter"].candidates == 3
    assert ids <= live_leads(db_session)


def test_person_and_record_holds_keep_data_until_released(db_session, make):
    officer = make.user(staff_role="privacy_officer")
    by_person = lead(db_session, "newsletter", timedelta(days=400), email="claims@example.org")
    by_record = lead(db_session, "trial", timedelta(days=400))
    free = lead(db_session, "newsletter", timedelta(days=400))
    person_hold = services.add_hold(scope="person", email="Claims@Example.org", reason="court case",
                                    created_by_id=officer.id)
    services.add_hold(scope="record", table_name="leads", record_id=by_record, reason="audit",
                      created_by_id=officer.id)
    db_session.commit()
    report = services.run(as_of=NOW)
    assert {by_person, by_record} <= live_leads(db_session) and free not in live_leads(db_session)
    assert items(report)["leads_newsletter"].held == 1 and items(report)["leads_trial"].held == 1
    services.release_hold(person_hold, officer.id)
    db_session.commit()
    services.run(as_of=NOW)
    assert by_person not in live_leads(db_session) and by_record in live_leads(db_session)


def test_a_hold_with_an_end_date_ends_by_itself(db_session):
    held = lead(db_session, "newsletter", timedelta(days=400), email="until@example.org")
    services.add_hold(scope="person", email="until@example.org", reason="claims period",
                      created_by_id=None, until=NOW + timedelta(days=10))
    db_session.commit()
    services.run(as_of=NOW)
    assert held in live_leads(db_session)
    services.run(as_of=NOW + timedelta(days=11))
    assert held not in live_leads(db_session)


def test_restricted_rows_are_kept(db_session):
    restricted = lead(db_session, "newsletter", timedelta(days=400), name="Restricted Person")
    other = lead(db_session, "newsletter", timedelta(days=400))
    db_session.commit()

    def predicate(table):
        return table.c.name == "Restricted Person"

    registry.register_restriction("leads", predicate)
    try:
        services.run(as_of=NOW)
    finally:
        registry._RESTRICTIONS["leads"].remove(predicate)
    assert restricted in live_leads(db_session) and other not in live_leads(db_session)


def test_the_report_holds_no_personal_data(db_session):
    lead(db_session, "newsletter", timedelta(days=400), email="secret.person@example.org", name="Zsófia Titkos")
    services.add_hold(scope="person", email="other.secret@example.org", reason="x", created_by_id=None)
    db_session.commit()
    report = services.run(as_of=NOW)
    rows = [report, *services.items_of(report)]
    dumped = " ".join(str(getattr(row, column.key)) for row in rows for column in row.__table__.columns)
    for value in ("secret.person", "example.org", "Titkos", "Zsófia", "other.secret"):
        assert value not in dumped
    assert db_session.scalar(select(func.count()).select_from(RetentionRunItem)
                             .where(RetentionRunItem.run_id == report.id)) == len(registry.targets())


def _sms(db_session, age: timedelta, purpose: str, body: str = "Your code: 123456") -> SmsMessage:
    row = SmsMessage(to_number="+36301234567", body=body, purpose=purpose, route="domestic",
                     idempotency_key=uuid.uuid4().hex, state="delivered", created_at=NOW - age)
    db_session.add(row)
    db_session.flush()
    return row


def test_sms_texts_are_blanked_after_30_days_and_the_counts_survive(db_session):
    old = [_sms(db_session, timedelta(days=31), purpose) for purpose in ("login_code", "login_code", "notice")]
    recent = _sms(db_session, timedelta(days=29), "notice")
    db_session.commit()

    def per_purpose():
        return Counter(dict(db_session.execute(select(SmsMessage.purpose, func.count()).group_by(SmsMessage.purpose))
                            .all()))

    before = per_purpose()
    report = services.run(as_of=NOW)
    db_session.expire_all()
    assert all(row.body == "" and row.body_purged_at == NOW for row in old)
    assert recent.body == "Your code: 123456" and recent.body_purged_at is None
    assert per_purpose() == before, "anonymising keeps the rows the statistics count"
    assert items(report)["sms_bodies"].affected == 3
    assert items(services.run(as_of=NOW))["sms_bodies"].candidates == 0, "anonymised once"


def test_small_batches_purge_everything(db_session):
    target = Target(name="test_small_batches", category="newsletter_subscriber", table="leads",
                    clocks={"last_interaction": "last_interaction_at"},
                    where=lambda table: table.c.source == "newsletter", batch_size=2)
    ids = {lead(db_session, "newsletter", timedelta(days=400)) for _ in range(7)}
    db_session.commit()
    cutoff = processing.retention_for("newsletter_subscriber").cutoff(NOW)
    condition = engine.expired(target, target.clock_expression("last_interaction"), cutoff)
    assert engine.purge_batches(target, condition, NOW) == 7
    assert not ids & live_leads(db_session)


def test_registering_a_different_target_under_a_taken_name_fails():
    with pytest.raises(ValueError):
        registry.register(Target(name="leads_newsletter", category="x", table="leads", clocks={}))
    with pytest.raises(ValueError):
        Target(name="bad", category="x", table="leads", clocks={}, action="anonymise")


@pytest.mark.usefixtures("clean_queues")  # jobs other tests left in Redis must not count
def test_the_daily_job_runs_on_a_worker(db_session, run_jobs):
    from webapp.jobs.services import enqueue

    old = lead(db_session, "newsletter", timedelta(days=400))
    enqueue("workers.retention.run_retention", queue_name="maintenance")
    db_session.commit()
    with time_machine.travel(NOW, tick=False):
        assert run_jobs() == 1
    assert old not in live_leads(db_session)
    report = db_session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc())).first()
    assert report.trigger == "cron" and report.status == "finished"


def test_the_cli_previews_a_run_as_of_a_day(app, db_session):
    kept = lead(db_session, "newsletter", timedelta(days=100))
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run", "--as-of", "2027-11-01"])
    assert result.exit_code == 0, result.output
    assert "(dry run)" in result.output and "as of 2027-11-01 00:00 UTC" in result.output
    line = next(row for row in result.output.splitlines() if row.startswith("leads_newsletter"))
    assert line.split()[-3:] == ["1", "0", "0"]
    assert kept in live_leads(db_session)
    bad = app.test_cli_runner().invoke(args=["retention", "run", "--as-of", "25.11.2026"])
    assert bad.exit_code == 2


def test_legal_holds_are_checked_by_the_database(db_session):
    from sqlalchemy.exc import IntegrityError

    db_session.add(LegalHold(scope="person", reason="nobody named"))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_now_is_the_default_as_of(db_session):
    with time_machine.travel(NOW, tick=False):
        report = services.run(dry_run=True)
        assert report.as_of == clock.now()
