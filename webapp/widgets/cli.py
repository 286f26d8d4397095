"""`flask widgets allow|disallow|list`: the embedding sites, for operators at the console."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.extensions import db
from webapp.widgets import services

widgets = AppGroup("widgets", help="Sites allowed to embed the sign-up widgets.")


@widgets.command("allow")
@click.argument("origin")
def allow_origin(origin: str) -> None:
    """Allow ORIGIN (e.g. https://www.example.com) to embed the widgets."""
    row = services.add_origin(origin, None)
    if row is None:
        raise click.BadParameter("give a site address such as https://www.example.com (no path)")
    db.session.commit()
    click.echo(f"allowed {row.origin}")


@widgets.command("list")
def list_origins() -> None:
    for origin in services.allowed_origins():
        click.echo(origin)
