"""``flask retention run [--dry-run] [--as-of YYYY-MM-DD]`` and ``flask retention targets``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from webapp.retention import registry, services


def _as_of(_ctx, _param, value):
    return None if value is None else services.start_of(value.date())


@click.group()
def retention():
    """Retention: purge what the records of processing say has expired."""


@retention.command("run")
@click.option("--dry-run", is_flag=True, help="Only count; change nothing (the report is still written).")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), callback=_as_of,
              help="Run as if it were this day (UTC midnight); default: now.")
@with_appcontext
def run_command(dry_run: bool, as_of):
    """Apply every retention target; print the report per category."""
    report = services.run(as_of=as_of, dry_run=dry_run, trigger="cli")
    verb = "would purge" if dry_run else "purged"
    click.echo(f"run {report.id} as of {report.as_of:%Y-%m-%d %H:%M} UTC{' (dry run)' if dry_run else ''}: "
               f"{report.status} in {report.duration_ms} ms")
    click.echo(f"{'target':<24}{'category':<24}{'rule':<32}{'candidates':>11}{verb:>12}{'held':>7}  error")
    for item in services.items_of(report):
        click.echo(f"{item.target:<24}{item.category:<24}{(item.rule or '-'):<32}{item.candidates:>11}"
                   f"{item.affected:>12}{item.held:>7}  {item.error or ''}")
    if report.status == "failed":
        raise click.exceptions.Exit(1)


@retention.command("targets")
@with_appcontext
def targets_command():
    """List the registered targets."""
    for target in registry.targets():
        kind = "handler" if target.handler is not None else f"{target.action}, batch {target.batch_size}"
        click.echo(f"{target.name}\t{target.category}\t{target.table}\t{kind}")
