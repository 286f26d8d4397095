"""``flask site seed``: the first website texts, authority details, sub-processors and privacy notice."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from webapp.extensions import db
from webapp.site.seed import seed_all


@click.group()
def site():
    """Public website content."""


@site.command("seed")
@with_appcontext
def seed():
    """Add the first content where it is missing (idempotent; never overwrites edits)."""
    added = seed_all()
    db.session.commit()
    click.echo("site seed: " + ", ".join(f"{name} {count}" for name, count in added.items()))
