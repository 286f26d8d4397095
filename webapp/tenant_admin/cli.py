"""``flask tenants state SLUG STATE``: move a tenant through trial -> subscribed -> closed."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.extensions import db
from webapp.tenant_admin import tenant_states
from webapp.tenant_admin.services import Refused
from webapp.tenants.models import TENANT_STATES, Tenant

tenants = AppGroup("tenants", help="Tenants of the CRM product.")


@tenants.command("state")
@click.argument("slug")
@click.argument("state", type=click.Choice(TENANT_STATES))
def set_state(slug: str, state: str) -> None:
    """Change the state of the tenant SLUG (closing ends its sessions and grants)."""
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no tenant {slug!r}")
    try:
        changed = tenant_states.change_state(tenant, state)
    except Refused as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"{slug}: {state}" if changed else f"{slug} is already {state}")
