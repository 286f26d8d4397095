"""``flask jobs ...``: inspect tasks and push lost ones again."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from webapp.extensions import db
from webapp.jobs import services
from webapp.jobs.models import Task


@click.group()
def jobs():
    """Background jobs."""


@jobs.command("list")
@click.option("--limit", default=20, show_default=True)
@with_appcontext
def list_tasks(limit: int):
    """Show the newest tasks."""
    for task in db.session.scalars(select(Task).order_by(Task.created_at.desc()).limit(limit)):
        click.echo(f"{task.id}\t{task.queue}\t{task.state}\t{task.progress}%\t{task.name}")


@jobs.command("redispatch")
@with_appcontext
def redispatch_lost():
    """Push queued tasks that Redis lost (e.g. it was down at commit time)."""
    count = sum(services.redispatch(task) for task in services.lost_tasks())
    click.echo(f"redispatched {count} task(s)")
