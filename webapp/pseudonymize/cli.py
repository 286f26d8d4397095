"""``flask db pseudonymize --out FILE``: a pseudonymised SQLite copy for tests and development."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from webapp.pseudonymize import services


@click.command("pseudonymize")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="the new SQLite file to write (must not exist)")
@with_appcontext
def pseudonymize(out: Path):
    """Copy the database with every name, e-mail, phone, address and marked text replaced, then scan it."""
    try:
        report = services.make_copy(out)
    except services.CopyError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {out}: {report.tables} tables, {report.rows} rows, {report.replaced} values replaced; "
               "scan found no original value")


def register_db_command(app: Flask) -> None:
    """Add the command to Flask-Migrate's ``db`` group."""
    from flask_migrate.cli import db as db_group

    if "pseudonymize" not in db_group.commands:
        db_group.add_command(pseudonymize)
