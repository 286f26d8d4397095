"""Dashboard figures: roll-ups, plus the raw page views they do not hold yet (today since its last
refresh, yesterday before the nightly job), combined; and the geometry of the SVG line chart.

Page views are exact. Visitors are daily visitors summed over the days; for the few minutes of
raw rows after today's last roll-up they are added, so a visitor seen on both sides of that
moment counts twice until the next refresh."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from webapp import clock
from webapp.analytics import rollups
from webapp.analytics.models import DailyRollup, PageView
from webapp.analytics.rollups import day_bounds
from webapp.extensions import db

LISTED = ("path", "source", "medium", "campaign", "device", "os", "browser")
TOP = 10
CHART_W, CHART_H, PAD_L, PAD_B, PAD_T = 640, 220, 48, 28, 12


@dataclass
class Stats:
    start: date
    end: date
    days: list[tuple[date, int, int]] = field(default_factory=list)  # (day, views, visitors)
    views: int = 0
    visitors: int = 0  # daily visitors, summed over the days
    new_visitors: int = 0
    top: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def returning_visitors(self) -> int:
        return self.visitors - self.new_visitors


def _fresh(start: date, end: date) -> list[tuple[date, datetime]]:
    """(day, since) for yesterday and today in the range: the raw rows the roll-ups do not hold yet
    (the whole day if it was never rolled up, else those viewed since its roll-up counted)."""
    today = clock.now().date()
    days = [day for day in (today - timedelta(days=1), today) if start <= day <= end]
    if not days:
        return []
    counted = dict(db.session.execute(select(DailyRollup.day, DailyRollup.computed_at).where(
        DailyRollup.dimension == "total", DailyRollup.day.in_(days))).all())
    found = []
    for day in days:
        day_start, day_end = day_bounds(day)
        since = counted.get(day) or day_start
        if since < day_end:
            found.append((day, since))
    return found


def _rolled(start: date, end: date):
    """Per-day totals and per-dimension view counts of the roll-ups: two queries."""
    span = (DailyRollup.day >= start, DailyRollup.day <= end)
    per_day = db.session.execute(select(DailyRollup.day, DailyRollup.views, DailyRollup.visitors,
                                        DailyRollup.new_visitors).where(DailyRollup.dimension == "total", *span)).all()
    by_value = db.session.execute(select(DailyRollup.dimension, DailyRollup.value, func.sum(DailyRollup.views))
                                  .where(DailyRollup.dimension.in_(LISTED), *span)
                                  .group_by(DailyRollup.dimension, DailyRollup.value)).all()
    return per_day, by_value


def _tail(since: datetime, until: datetime) -> tuple[tuple[int, int, int], dict[str, Counter]]:
    """Totals and per-dimension views of the raw rows in [since, until): one query, counted here
    with the roll-up's definitions (``rollups.dimension_values``)."""
    rows = db.session.execute(select(*rollups.RAW_COLUMNS).where(PageView.viewed_at >= since,
                                                                  PageView.viewed_at < until)).all()
    counts: dict[str, Counter] = defaultdict(Counter)
    visitors, new = set(), set()
    for row in rows:
        visitors.add(row.visitor_id)
        if row.is_new_visitor:
            new.add(row.visitor_id)
        for dimension, value in rollups.dimension_values(row):
            if dimension in LISTED:
                counts[dimension][value] += 1
    return (len(rows), len(visitors), len(new)), counts


def stats(start: date, end: date) -> Stats:
    per_day, by_value = _rolled(start, end)
    totals = {day: (views, visitors, new) for day, views, visitors, new in per_day}
    counts: dict[str, Counter] = defaultdict(Counter)
    for dimension, value, views in by_value:
        counts[dimension][value] += int(views)
    for day, since in _fresh(start, end):
        (views, visitors, new), tail = _tail(since, day_bounds(day)[1])
        old = totals.get(day, (0, 0, 0))
        totals[day] = (old[0] + views, old[1] + visitors, old[2] + new)
        for dimension, counter in tail.items():
            counts[dimension].update(counter)
    result = Stats(start, end)
    day = start
    while day <= end:
        views, visitors, new = totals.get(day, (0, 0, 0))
        result.days.append((day, views, visitors))
        result.views, result.visitors, result.new_visitors = (result.views + views, result.visitors + visitors,
                                                              result.new_visitors + new)
        day += timedelta(days=1)
    for dimension in LISTED:
        ranked = sorted(counts[dimension].items(), key=lambda item: (-item[1], item[0]))
        result.top[dimension] = ranked[:TOP]
    return result


@dataclass
class Chart:
    width: int
    height: int
    views_points: str
    visitors_points: str
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, date]]
    baseline: float
    left: int


def _nice_max(value: int) -> int:
    if value <= 4:
        return 4
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return value


def chart(days: list[tuple[date, int, int]]) -> Chart:
    """Polyline points of views and visitors per day; y from 0 to a round maximum."""
    top = _nice_max(max((views for _day, views, _visitors in days), default=0))
    plot_w, plot_h = CHART_W - PAD_L - 8, CHART_H - PAD_B - PAD_T
    step = plot_w / max(len(days) - 1, 1)

    def y(value: int) -> float:
        return round(PAD_T + plot_h - plot_h * value / top, 1)

    def x(index: int) -> float:
        return round(PAD_L + step * index, 1)

    views = " ".join(f"{x(i)},{y(v)}" for i, (_d, v, _u) in enumerate(days))
    visitors = " ".join(f"{x(i)},{y(u)}" for i, (_d, _v, u) in enumerate(days))
    ticks = [(y(value), value) for value in (0, top // 2, top)]
    picks = sorted({0, (len(days) - 1) // 2, len(days) - 1}) if days else []
    labels = [(x(i), days[i][0]) for i in picks]
    return Chart(CHART_W, CHART_H, views, visitors, ticks, labels, y(0), PAD_L)
