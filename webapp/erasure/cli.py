"""``flask erasure replay``: apply every recorded erasure again (after a backup restore)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from webapp.erasure import replay as replays
from webapp.erasure import services
from webapp.extensions import db


@click.group()
def erasure():
    """Erasure of persons: the replay list."""


@erasure.command("replay")
@with_appcontext
def replay_command():
    """Erase again every person on the replay list found in the database; print the counts."""
    receipts = replays.replay()
    db.session.commit()
    click.echo(f"replayed {len(receipts)} erasure(s)")
    for receipt in receipts:
        click.echo(f"receipt {receipt.id}: {receipt.outcome} {sum(receipt.counts.values())} row(s)")


@erasure.command("scrub-notices")
@with_appcontext
def scrub_command():
    """Delete the outbox rows of erasure notices already sent."""
    count = services.scrub_sent_notices()
    db.session.commit()
    click.echo(f"deleted {count} sent notice(s)")
