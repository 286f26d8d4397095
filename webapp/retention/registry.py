"""The target registry: where each data category lives and how its expired rows go.

A feature registers its targets once, at import of its setup (``init_app``)::

    from webapp.retention.registry import Target, register
    register(Target(name="analytics_page_views", category="analytics_page_views", table="page_views",
                    clocks={"created_at": "viewed_at"}))

- ``category`` is a data category of the records of processing (``webapp.processing.catalogue``);
  its activity gives the clock and the period, so a privacy officer's edit changes the purge.
- ``clocks`` maps the clock kinds this table can measure to a column name (or a function of the
  table returning a SQL expression); an activity whose clock is not among them is reported, not run.
- ``action``: ``delete``, or ``anonymise`` with ``values`` (column -> new value, or a function of
  ``as_of``) and ``pending`` (function of the table: rows not anonymised yet).
- ``where``: a function of the table narrowing the rows (``source = 'newsletter'``).
- Legal holds: ``person_email`` / ``person_user`` name the columns matched against person holds;
  record holds match ``table`` + ``key``. ``register_restriction(table, predicate)`` adds a
  predicate of rows under restriction (GDPR Art. 18), which are kept too.
- ``handler``: for data with side effects (files, hash chains, audit redaction) an object with
  ``count(cutoff, as_of) -> int`` and ``purge(cutoff, as_of) -> int`` (committing per batch)
  replaces the generic set-based statements; it honours holds through ``engine.held_user_ids(as_of)``
  and ``engine.held_records(as_of)``, and may list ``hold_tables`` for the dashboard's record holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Table

from webapp.extensions import db

ACTIONS = ("delete", "anonymise")
Predicate = Callable[[Table], Any]


class Handler(Protocol):
    def count(self, cutoff, as_of) -> int: ...

    def purge(self, cutoff, as_of) -> int: ...


@dataclass(frozen=True)
class Target:
    name: str
    category: str
    table: str
    clocks: Mapping[str, str | Predicate]
    action: str = "delete"
    values: Mapping[str, Any] = field(default_factory=dict)
    pending: Predicate | None = None
    where: Predicate | None = None
    person_email: str | None = None
    person_user: str | None = None
    key: str = "id"
    batch_size: int = 50_000
    handler: Handler | None = None

    def __post_init__(self):
        if self.action not in ACTIONS:
            raise ValueError(f"{self.name}: action must be one of {ACTIONS}")
        if self.action == "anonymise" and (not self.values or self.pending is None):
            raise ValueError(f"{self.name}: anonymise needs values and pending")
        if self.batch_size < 1:
            raise ValueError(f"{self.name}: batch_size must be positive")

    def sql_table(self) -> Table:
        return db.metadata.tables[self.table]

    def clock_expression(self, clock: str):
        found = self.clocks.get(clock)
        if found is None:
            return None
        table = self.sql_table()
        return table.c[found] if isinstance(found, str) else found(table)


_TARGETS: dict[str, Target] = {}
_RESTRICTIONS: dict[str, list[Predicate]] = {}


def register(target: Target) -> Target:
    """Add a target (idempotent for the same definition; a different one under the same name fails)."""
    existing = _TARGETS.get(target.name)
    if existing is not None and existing != target:
        raise ValueError(f"retention target {target.name!r} registered twice")
    _TARGETS[target.name] = target
    return target


def register_restriction(table: str, predicate: Predicate) -> None:
    """Rows of ``table`` for which ``predicate(table)`` is true are under restriction: never purged."""
    _RESTRICTIONS.setdefault(table, [])
    if predicate not in _RESTRICTIONS[table]:
        _RESTRICTIONS[table].append(predicate)


def restrictions(table: str) -> list[Predicate]:
    return list(_RESTRICTIONS.get(table, ()))


def targets() -> list[Target]:
    from webapp.retention import targets as _builtin  # noqa: F401 - registers the built-in targets

    return sorted(_TARGETS.values(), key=lambda t: t.name)


def unregister(name: str) -> None:
    """For tests that register a temporary target."""
    _TARGETS.pop(name, None)
