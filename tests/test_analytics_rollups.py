"""Roll-ups equal hand counts and are idempotent; the 90-day purge (time travel) keeps them;
access and erasure by consent id; the jobs on a real worker."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.analytics_support import CHROME, clean_buffer, grant, stored_views, view  # noqa: F401
from webapp.analytics import collector, rollups, services
from webapp.analytics.models import DailyRollup, PageView
from workers import analytics as jobs

pytestmark = pytest.mark.usefixtures("clean_buffer")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PATHS = ("/", "/pricing", "/about", "/blog/privacy")
SOURCES = (None, "newsletter", "google")
REFERRERS = (None, "www.example.org", "news.example.com")


def generate(db_session, days: int, per_day: int, seed: int = 7) -> list[PageView]:
    rnd = random.Random(seed)
    seen: set[str] = set()
    rows = []
    for back in range(days, -1, -1):
        start = datetime.combine(NOW.date() - timedelta(days=back), datetime.min.time(), tzinfo=UTC)
        for _ in range(per_day):
            visitor = f"v{rnd.randrange(40):02d}".ljust(22, "x")
            at = start + timedelta(seconds=rnd.randrange(86400 if back else 11 * 3600))
            rows.append(view(at, visitor, rnd.choice(PATHS), new=visitor not in seen, source=rnd.choice(SOURCES),
                             referrer=rnd.choice(REFERRERS), campaign=rnd.choice((None, "spring", "autumn")),
                             medium=rnd.choice((None, "email")), device=rnd.choice(("desktop", "mobile"))))
            seen.add(visitor)
    db_session.add_all(rows)
    db_session.flush()
    return rows


def hand_counts(rows, day: date) -> dict[tuple[str, str], tuple[int, int, int]]:
    views, visitors, new = Counter(), defaultdict(set), defaultdict(set)
    for row in (r for r in rows if r.viewed_at.date() == day):
        keys = {("total", "all"), ("path", row.path), ("device", row.device_type),
                ("source", row.utm_source or row.referrer_host or "(direct)"), ("medium", row.utm_medium or "(none)"),
                ("os", row.os_family), ("browser", row.browser_family)}
        if row.utm_campaign:
            keys.add(("campaign", row.utm_campaign))
        for key in keys:
            views[key] += 1
            visitors[key].add(row.visitor_id)
            if row.is_new_visitor:
                new[key].add(row.visitor_id)
    return {key: (views[key], len(visitors[key]), len(new[key])) for key in views}


def stored_rollup(db_session, day: date):
    return {(r.dimension, r.value): (r.views, r.visitors, r.new_visitors)
            for r in db_session.scalars(select(DailyRollup).where(DailyRollup.day == day))}


def test_rollup_equals_hand_counts_and_is_idempotent(db_session):
    rows = generate(db_session, days=3, per_day=120)
    day = NOW.date() - timedelta(days=2)
    with time_machine.travel(NOW):
        rollups.rollup_day(day)
        first = stored_rollup(db_session, day)
        assert first == hand_counts(rows, day)
        db_session.add(view(datetime.combine(day, datetime.min.time(), tzinfo=UTC), "late".ljust(22, "x"), "/late"))
        rollups.rollup_day(day)
        again = stored_rollup(db_session, day)
    assert again[("path", "/late")] == (1, 1, 0)
    assert again[("total", "all")][0] == first[("total", "all")][0] + 1
    assert db_session.scalar(select(func.count()).select_from(DailyRollup).where(DailyRollup.day == day)) == len(again)


def test_the_nightly_job_rolls_up_yesterday_and_missed_days(db_session):
    rows = generate(db_session, days=5, per_day=30)
    with time_machine.travel(NOW):
        result = jobs.rollup_analytics()
    days = {d for (d,) in db_session.execute(select(DailyRollup.day).distinct())}
    assert days == {NOW.date() - timedelta(days=n) for n in range(1, 6)}  # not today: still running
    assert "rolled up" in result
    for day in days:
        assert stored_rollup(db_session, day) == hand_counts(rows, day)


def test_purge_deletes_raw_rows_older_than_90_days_and_keeps_rollups(db_session):
    old_day = NOW - timedelta(days=95)
    kept_day = NOW - timedelta(days=89)
    for at, visitor in ((old_day, "a"), (old_day, "b"), (kept_day, "c")):
        db_session.add(view(at, visitor.ljust(22, "x"), "/old", new=True))
    db_session.flush()
    with time_machine.travel(old_day + timedelta(days=1)):
        jobs.rollup_analytics()
    with time_machine.travel(old_day + timedelta(days=89, hours=23)):  # an hour early: nothing goes
        assert rollups.purge_raw() == 0
    with time_machine.travel(old_day + timedelta(days=90, minutes=1)):
        assert "purged 2" in jobs.purge_analytics()
    with time_machine.travel(NOW):
        remaining = db_session.scalars(select(PageView.visitor_id)).all()
        assert [v[0] for v in remaining] == ["c"]
        total = stored_rollup(db_session, old_day.date())[("total", "all")]
        assert total == (2, 2, 2)
        # a later re-run cannot wipe the day whose raw rows are gone
        assert rollups.rollup_day(old_day.date()) is None
        assert stored_rollup(db_session, old_day.date())[("path", "/old")] == (2, 2, 2)


def test_purge_rolls_up_a_day_that_was_never_rolled_up(db_session):
    at = NOW - timedelta(days=120)
    db_session.add_all([view(at, "z".ljust(22, "x"), "/never", new=True),
                        view(at + timedelta(hours=1), "z".ljust(22, "x"), "/never")])
    db_session.flush()
    with time_machine.travel(NOW):
        assert rollups.purge_raw(batch=1) == 2
    assert stored_rollup(db_session, at.date())[("path", "/never")] == (2, 1, 1)


def test_flush_job_moves_buffered_views_and_drops_garbage(client, db_session, redis_conn):
    grant(client, db_session)
    client.get("/", headers={"User-Agent": CHROME})
    redis_conn.rpush(collector.BUFFER_KEY, b"not json", b'{"viewed_at": "2026-01-01T00:00:00"}')
    assert redis_conn.llen(collector.BUFFER_KEY) == 3
    assert jobs.flush_page_views() == "flushed 1"
    assert redis_conn.llen(collector.BUFFER_KEY) == 0
    assert db_session.scalar(select(func.count()).select_from(PageView)) == 1


def test_periodic_jobs_run_on_a_real_worker(db_session, run_jobs, redis_conn):
    from webapp.jobs.queue import get_queue

    generate(db_session, days=2, per_day=5)
    db_session.commit()
    for name in ("flush_page_views", "rollup_analytics", "purge_analytics"):
        get_queue("maintenance").enqueue(f"workers.analytics.{name}")
    assert run_jobs() == 3
    assert db_session.scalar(select(func.count()).select_from(DailyRollup)) > 0


def test_access_and_erasure_by_consent_id(client, db_session, redis_conn):
    mine = grant(client, db_session)
    client.get("/?utm_campaign=spring", headers={"User-Agent": CHROME})
    stored_views(db_session)
    client.get("/login", headers={"User-Agent": CHROME})  # still in the buffer
    visitor = db_session.scalar(select(PageView.visitor_id))
    db_session.add(view(NOW, visitor, "/earlier", consent_id=None))  # same visitor, before this consent
    db_session.add(view(NOW, "someone-else".ljust(22, "x"), "/other", consent_id="other-consent"))
    db_session.flush()
    listed = services.visits_for_consent(mine)
    assert sorted(v["path"] for v in listed) == ["/", "/earlier"]
    assert listed[0].keys() >= {"viewed_at", "path", "utm_campaign", "device_type"}
    assert "visitor_id" not in listed[0] and "consent_id" not in listed[0]
    assert services.erase_consent(mine) == 2
    assert redis_conn.llen(collector.BUFFER_KEY) == 0
    assert services.visits_for_consent(mine) == []
    assert [v.path for v in stored_views(db_session)] == ["/other"]
    assert services.visits_for_consent(None) == [] and services.erase_consent("") == 0


def test_the_retention_engine_purges_raw_views_and_keeps_rollups(db_session):
    retention_engine = pytest.importorskip("webapp.retention.engine")
    from webapp.processing import services as processing
    from webapp.retention import registry

    [target] = [t for t in registry.targets() if t.name == "analytics_page_views"]
    processing.seed()
    old = NOW - timedelta(days=100)
    db_session.add_all([view(old, "old".ljust(22, "x"), "/gone", new=True),
                        view(NOW - timedelta(days=10), "new".ljust(22, "x"), "/kept")])
    db_session.flush()
    with time_machine.travel(NOW):
        preview = retention_engine.apply(target, NOW, dry_run=True)
        assert (preview.candidates, preview.error) == (1, None)
        outcome = retention_engine.apply(target, NOW, dry_run=False)
    assert (outcome.affected, outcome.error) == (1, None)
    assert [v.path for v in db_session.scalars(select(PageView))] == ["/kept"]
    assert stored_rollup(db_session, old.date())[("path", "/gone")] == (1, 1, 1)


def test_the_python_twin_counts_like_the_sql_rollup(db_session):
    """The dashboard counts the newest raw rows in Python; it must agree with the SQL roll-up."""
    rows = generate(db_session, days=1, per_day=200, seed=3)
    day = NOW.date() - timedelta(days=1)
    start, end = rollups.day_bounds(day)
    in_sql = {(r["dimension"], r["value"]): r["views"] for r in rollups.aggregate(start, end)}
    in_python = Counter(pair for row in rows if start <= row.viewed_at < end for pair in rollups.dimension_values(row))
    assert in_sql == dict(in_python)


def test_the_cli_rolls_up_a_day_and_purges(app, db_session):
    at = NOW - timedelta(days=100)
    db_session.add(view(at, "cli".ljust(22, "x"), "/cli", new=True))
    db_session.flush()
    runner = app.test_cli_runner()
    with time_machine.travel(NOW):
        rolled = runner.invoke(args=["analytics", "rollup", "--day", at.date().isoformat()])
        assert rolled.exit_code == 0, rolled.output
        assert "raw data partly purged" in rolled.output or "rows" in rolled.output
        purged = runner.invoke(args=["analytics", "purge"])
    assert purged.exit_code == 0 and "deleted 1 raw page views" in purged.output
    assert stored_rollup(db_session, at.date())[("path", "/cli")] == (1, 1, 1)
