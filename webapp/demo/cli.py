"""``flask demo load``: fill an empty database with demo data and print the logins."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from webapp.demo import services
from webapp.extensions import db


@click.group()
def demo():
    """Demo data."""


@demo.command("load")
@click.option("--contacts", default=250, show_default=True, help="contacts per demo tenant")
@with_appcontext
def load(contacts: int):
    """Load demo data into an empty database (does nothing when data exists)."""
    if not services.database_is_empty():
        click.echo("demo data: the database already holds data; nothing loaded")
        return
    services.load_demo_data(contacts_per_tenant=contacts)
    db.session.commit()
    click.echo(f"demo data loaded; every demo login uses the password {services.DEMO_PASSWORD}")


@demo.command("logins")
def logins():
    """Print the demo logins."""
    for login in services.demo_logins():
        click.echo(f"  {login.email:42} {login.role}")
    click.echo(f"  password for all: {services.DEMO_PASSWORD}")
