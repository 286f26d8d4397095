"""The retention engine: for each registered target, the cutoff from its data category's rule in
the records of processing, then set-based batches (keyset on the key, committed per batch).

Rows never travel through the ORM: a batch is one ``DELETE``/``UPDATE ... WHERE key >= :lo AND
key < :lo + n AND <expired> AND NOT <held or restricted>``, committed on its own; memory stays flat
whatever the number of rows. A real run counts what it purged; a dry run counts the candidates.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, false, func, or_, select, update

from webapp.extensions import db
from webapp.processing import services as processing
from webapp.retention import registry
from webapp.retention.models import LegalHold
from webapp.retention.registry import Target

log = logging.getLogger("bizalom.retention")


@dataclass
class Outcome:
    target: str
    category: str
    action: str
    activity_key: str | None = None
    rule: str | None = None
    cutoff: datetime | None = None
    candidates: int = 0
    affected: int = 0
    held: int = 0
    duration_ms: int = 0
    error: str | None = None


def _open_holds(as_of: datetime):
    return and_(LegalHold.released_at.is_(None), or_(LegalHold.until.is_(None), LegalHold.until > as_of))


def protected(target: Target, as_of: datetime):
    """Rows of the target kept whatever their age: legal holds and restrictions."""
    table = target.sql_table()
    hold = _open_holds(as_of)
    kept = [table.c[target.key].in_(select(LegalHold.record_id).where(
        hold, LegalHold.scope == "record", LegalHold.table_name == target.table))]
    if target.person_email:  # "IS NOT NULL AND": NOT (NULL IN ...) would keep rows without an address
        column = table.c[target.person_email]
        kept.append(and_(column.is_not(None), func.lower(column).in_(select(LegalHold.email).where(
            hold, LegalHold.scope == "person", LegalHold.email.is_not(None)))))
    if target.person_user:
        column = table.c[target.person_user]
        kept.append(and_(column.is_not(None), column.in_(select(LegalHold.user_id).where(
            hold, LegalHold.scope == "person", LegalHold.user_id.is_not(None)))))
    kept.extend(predicate(table) for predicate in registry.restrictions(target.table))
    return or_(*kept) if kept else false()


def held_user_ids(as_of: datetime) -> list[int]:
    """Accounts under an open person hold (by user id, or by their account's e-mail): for handlers."""
    from webapp.accounts.models import User

    person = and_(_open_holds(as_of), LegalHold.scope == "person")
    by_id = set(db.session.scalars(select(LegalHold.user_id).where(person, LegalHold.user_id.is_not(None))))
    emails = select(LegalHold.email).where(person, LegalHold.email.is_not(None))
    by_email = set(db.session.scalars(select(User.id).where(func.lower(User.email).in_(emails))))
    return sorted(by_id | by_email)


def held_records(as_of: datetime) -> dict[str, set[int]]:
    """Record holds in force, by table: for handlers."""
    found: dict[str, set[int]] = {}
    rows = db.session.execute(select(LegalHold.table_name, LegalHold.record_id).where(
        _open_holds(as_of), LegalHold.scope == "record"))
    for table, record_id in rows:
        found.setdefault(table, set()).add(record_id)
    return found


def expired(target: Target, clock_expression, cutoff: datetime):
    table = target.sql_table()
    conditions = [clock_expression < cutoff]
    if target.where is not None:
        conditions.append(target.where(table))
    if target.pending is not None:
        conditions.append(target.pending(table))
    return and_(*conditions)


def _count(target: Target, condition) -> int:
    return db.session.scalar(select(func.count()).select_from(target.sql_table()).where(condition)) or 0


def _values(target: Target, as_of: datetime) -> dict:
    return {name: value(as_of) if callable(value) else value for name, value in target.values.items()}


def _statement(target: Target, condition, as_of: datetime):
    table = target.sql_table()
    if target.action == "delete":
        return delete(table).where(condition)
    return update(table).where(condition).values(**_values(target, as_of))


def purge_batches(target: Target, condition, as_of: datetime, commit: bool = True) -> int:
    """Delete (or anonymise) every row matching ``condition``: one statement per window of
    ``batch_size`` consecutive keys (``key >= lo AND key < lo + n AND <condition>``), committed one
    by one. The key bounds come from the primary key index, so no row is read twice."""
    key = target.sql_table().c[target.key]
    low, high = db.session.execute(select(func.min(key), func.max(key))).one()
    affected = 0
    while low is not None and low <= high:
        window = and_(condition, key >= low, key < low + target.batch_size)
        affected += db.session.execute(_statement(target, window, as_of),
                                       execution_options={"synchronize_session": False}).rowcount
        if commit:
            db.session.commit()
        low += target.batch_size
    return affected


def apply(target: Target, as_of: datetime, dry_run: bool) -> Outcome:
    """Run one target as of ``as_of``; errors are reported in the outcome, never raised."""
    outcome = Outcome(target.name, target.category, target.action)
    started = time.perf_counter()
    try:
        _apply(target, as_of, dry_run, outcome)
    except Exception as exc:  # noqa: BLE001 - one failing target must not stop the others
        db.session.rollback()
        log.exception("retention target %s failed", target.name)
        outcome.error = type(exc).__name__[:60]
    outcome.duration_ms = int((time.perf_counter() - started) * 1000)
    return outcome


def _apply(target: Target, as_of: datetime, dry_run: bool, outcome: Outcome) -> None:
    try:
        rule = processing.retention_for(target.category)
    except processing.UnknownCategory:
        outcome.error = "no_activity"
        return
    outcome.activity_key, outcome.rule = rule.activity_key, rule.label()
    outcome.cutoff = cutoff = rule.cutoff(as_of)
    if target.handler is not None:
        if rule.clock not in target.clocks:
            outcome.error = "clock_unsupported"
            return
        outcome.candidates = target.handler.count(cutoff, as_of)
        outcome.affected = 0 if dry_run else target.handler.purge(cutoff, as_of)
        return
    clock_expression = target.clock_expression(rule.clock)
    if clock_expression is None:
        outcome.error = "clock_unsupported"
        return
    condition = expired(target, clock_expression, cutoff)
    keep = protected(target, as_of) if _may_be_protected(target, as_of) else None
    free = condition if keep is None else and_(condition, ~keep)
    if keep is not None:
        outcome.held = _count(target, and_(condition, keep))
    if dry_run:
        outcome.candidates = _count(target, free)
    else:
        outcome.affected = outcome.candidates = purge_batches(target, free, as_of)


def _may_be_protected(target: Target, as_of: datetime) -> bool:
    """Whether any open hold or restriction can apply to the target (else the exclusion is skipped)."""
    if registry.restrictions(target.table):
        return True
    scopes = [and_(LegalHold.scope == "record", LegalHold.table_name == target.table)]
    if target.person_email:
        scopes.append(and_(LegalHold.scope == "person", LegalHold.email.is_not(None)))
    if target.person_user:
        scopes.append(and_(LegalHold.scope == "person", LegalHold.user_id.is_not(None)))
    found = select(LegalHold.id).where(_open_holds(as_of), or_(*scopes)).limit(1)
    return db.session.scalar(found) is not None


def preview(as_of: datetime) -> list[Outcome]:
    """What a run as of ``as_of`` would take (nothing is written)."""
    return [apply(target, as_of, dry_run=True) for target in registry.targets()]
