"""``flask seclog ...``: verify the hash chains, purge expired entries, drain the Redis buffer."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from webapp.extensions import db
from webapp.seclog import chain, drain, services
from webapp.seclog.kinds import KINDS


@click.group()
def seclog():
    """Security log (access and authentication events)."""


@seclog.command("verify")
@with_appcontext
def verify_command():
    """Walk both hash chains; exit code 1 at the first broken link."""
    verdict = chain.verify()
    broken = verdict.broken
    if broken is not None:
        click.echo(f"BROKEN: {broken.chain} chain at seq {broken.seq}: {broken.reason}")
        raise click.exceptions.Exit(1)
    parts = ", ".join(f"{report.chain} {report.count}" + (f" from seq {report.first_seq}" if report.first_seq else "")
                      for report in verdict.reports)
    click.echo(f"OK: {verdict.count} entries verified ({parts}); the oldest entry of each chain is the anchor")


@seclog.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@with_appcontext
def purge_command(dry_run: bool):
    """Delete entries past retention (detailed 90 days, security 365 days by default)."""
    counts = services.purge_expired(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb}: " + ", ".join(f"{name} {count}" for name, count in counts.items()))


@seclog.command("drain")
@with_appcontext
def drain_command():
    """Move buffered entries from Redis into the database now."""
    stored = drain.drain()
    click.echo("another drain is running" if stored is None else f"stored {stored} entries")


@seclog.command("kinds")
def kinds_command():
    """List the event kinds (a closed set) with their retention class."""
    for kind, (chain_name, meaning) in KINDS.items():
        click.echo(f"{kind}\t{chain_name}\t{meaning}")
