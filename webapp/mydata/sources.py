"""Everything held about one person, gathered from each feature, each item explained by the records
of processing (purpose, legal basis, retention, recipients) rather than by text written per page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from webapp.extensions import db


@dataclass
class Item:
    category: str | None  # a data category of the records of processing (None: not stored data as such)
    title: str
    fields: list[tuple[str, object]]
    clock_value: datetime | None = None  # the moment the retention clock counts from
    source: str = ""


@dataclass
class Person:
    email: str
    user: object | None = None
    lead: object | None = None
    consent_id: str | None = None
    phones: set[str] = field(default_factory=set)


Collector = Callable[[Person], list[Item]]
_COLLECTORS: list[tuple[str, Collector]] = []


def collector(name: str):
    """Register a function that lists what one feature holds about a person."""

    def _register(func: Collector) -> Collector:
        if all(existing != name for existing, _func in _COLLECTORS):
            _COLLECTORS.append((name, func))
        return func

    return _register


def person_for(email: str, consent_id: str | None = None) -> Person:
    from webapp.accounts.models import User
    from webapp.leads.models import Lead

    user = db.session.scalars(select(User).where(User.email == email)).first()
    lead = db.session.scalars(select(Lead).where(Lead.email == email)).first()
    phones = {p for p in (getattr(lead, "phone", None),) if p}
    return Person(email=email, user=user, lead=lead, consent_id=consent_id, phones=phones)


def holds_address(email: str) -> bool:
    person = person_for(email)
    return person.user is not None or person.lead is not None or bool(collect(person))


def collect(person: Person) -> list[Item]:
    from webapp.mydata import collectors, collectors_more  # noqa: F401 - register the built-in collectors

    items: list[Item] = []
    for _name, func in _COLLECTORS:
        items.extend(func(person))
    return items
