"""``flask analytics rollup [--day YYYY-MM-DD]`` and ``flask analytics purge``."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from webapp.analytics import rollups
from webapp.extensions import db

analytics = AppGroup("analytics", help="First-party analytics: roll-ups and the raw-data purge.")


@analytics.command("rollup")
@click.option("--day", "day", default=None, help="UTC day (YYYY-MM-DD); default: the days due.")
def rollup(day: str | None) -> None:
    days = [date.fromisoformat(day)] if day else rollups.days_to_roll_up()
    for one in days:
        rows = rollups.rollup_day(one)
        click.echo(f"{one}: " + ("raw data partly purged; kept" if rows is None else f"{rows} rows"))
    db.session.commit()


@analytics.command("purge")
def purge() -> None:
    click.echo(f"deleted {rollups.purge_raw()} raw page views")
