"""Wires the records of processing into the app: the blueprint and ``flask processing``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from webapp.extensions import db


@click.group()
def processing():
    """Records of processing (purposes, legal bases, retention)."""


@processing.command("seed")
@with_appcontext
def seed_command():
    """Add the policy's processing activities that are missing."""
    from webapp.processing import services

    added = services.seed()
    db.session.commit()
    click.echo(f"added {added} processing activities")


@processing.command("list")
@with_appcontext
def list_command():
    """Print every activity with its legal basis and retention rule."""
    from webapp.processing import services

    for item in services.activities():
        click.echo(f"{item.key}\tv{item.version}\t{item.legal_basis}\t{item.period} {item.unit} from {item.clock}"
                   f"\t{','.join(item.categories)}")


def init_app(app: Flask) -> None:
    from webapp.processing.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(processing)
