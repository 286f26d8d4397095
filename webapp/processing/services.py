"""The service API of the records of processing: the one source of truth for purposes, legal
bases, retention and recipients.

``activity(key)``, ``retention_for(category)`` and ``describe(category)`` are what other features
call (the retention engine, access reports, the "my data" portal). ``update`` is the only way to
change an activity: it writes a new numbered version with the values before and after.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp import clock
from webapp.extensions import db
from webapp.processing.catalogue import CATEGORIES, LEGAL_BASIS_ARTICLES, PERIOD_BOUNDS_DAYS, seed_rows
from webapp.processing.models import ProcessingActivity, ProcessingVersion

EDITABLE = ("title_en", "title_de", "title_hu", "description", "categories", "legal_basis", "recipients",
            "transfers", "clock", "period", "unit", "active")
UNIT_DAYS = {"days": 1, "months": 31, "years": 366}  # upper bound per unit, for the bounds check


class UnknownCategory(LookupError):
    """No processing activity covers this data category."""


class InvalidChange(ValueError):
    """A change the records of processing refuse (the message names the field)."""


@dataclass(frozen=True)
class Retention:
    activity_key: str
    category: str
    clock: str
    period: int
    unit: str

    def cutoff(self, as_of: datetime) -> datetime:
        """Data whose clock is before this instant is past retention as of ``as_of``."""
        return subtract(as_of, self.period, self.unit)

    def label(self) -> str:
        return f"{self.period} {self.unit} after {self.clock}"


def subtract(moment: datetime, period: int, unit: str) -> datetime:
    if unit == "days":
        return moment - timedelta(days=period)
    months = period * (12 if unit == "years" else 1)
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def snapshot(activity: ProcessingActivity) -> dict:
    return {name: getattr(activity, name) for name in EDITABLE}


def activity(key: str) -> ProcessingActivity | None:
    return db.session.scalar(select(ProcessingActivity).where(ProcessingActivity.key == key))


def activities() -> list[ProcessingActivity]:
    return list(db.session.scalars(select(ProcessingActivity).order_by(ProcessingActivity.key)))


def activity_for(category: str) -> ProcessingActivity:
    for candidate in activities():
        if category in candidate.categories:
            return candidate
    raise UnknownCategory(category)


def retention_for(category: str) -> Retention:
    found = activity_for(category)
    return Retention(found.key, category, found.clock, found.period, found.unit)


def describe(category: str, locale: str = "en") -> dict:
    """Purpose, legal basis, retention and recipients of a data category (for access reports)."""
    found = activity_for(category)
    return {"category": category, "activity": found.key, "purpose": found.title(locale),
            "description": found.description, "legal_basis": found.legal_basis,
            "legal_basis_article": LEGAL_BASIS_ARTICLES[found.legal_basis],
            "retention": {"clock": found.clock, "period": found.period, "unit": found.unit},
            "recipients": list(found.recipients), "transfers": list(found.transfers), "version": found.version}


def seed(user_id: int | None = None) -> int:
    """Add the policy's activities that are missing (version 1 each); returns how many were added."""
    existing = set(db.session.scalars(select(ProcessingActivity.key)))
    added = 0
    for row in seed_rows():
        if row["key"] in existing:
            continue
        item = ProcessingActivity(**row)
        db.session.add(item)
        db.session.flush()
        db.session.add(ProcessingVersion(activity_id=item.id, version=1, changed_by_id=user_id,
                                         changed_at=clock.now(), note="seed", before=None, after=snapshot(item)))
        added += 1
    db.session.flush()
    return added


def check(key: str, values: dict) -> None:
    unknown = set(values["categories"]) - set(CATEGORIES)
    if unknown:
        raise InvalidChange(_l("unknown data categories: %(c)s", c=", ".join(sorted(unknown))))
    taken = {c for other in activities() if other.key != key for c in other.categories}
    shared = set(values["categories"]) & taken
    if shared:
        raise InvalidChange(_l("categories already covered by another activity: %(c)s", c=", ".join(sorted(shared))))
    bounds = PERIOD_BOUNDS_DAYS.get(key)
    if bounds is not None:
        low = values["period"] * {"days": 1, "months": 28, "years": 365}[values["unit"]]
        high = values["period"] * UNIT_DAYS[values["unit"]]
        if low < bounds[0] or high > bounds[1]:
            raise InvalidChange(_l("the retention period is outside what the law allows for this activity"))


def update(item: ProcessingActivity, changes: dict, user_id: int | None, note: str = "") -> ProcessingVersion | None:
    """Apply ``changes`` as a new version; None when nothing changed. The caller commits."""
    before = snapshot(item)
    after = before | {name: value for name, value in changes.items() if name in EDITABLE}
    if after == before:
        return None
    check(item.key, after)
    for name, value in after.items():
        setattr(item, name, value)
    item.version += 1
    version = ProcessingVersion(activity_id=item.id, version=item.version, changed_by_id=user_id,
                                changed_at=clock.now(), note=note[:300], before=before, after=after)
    db.session.add(version)
    db.session.flush()
    return version


def history(item: ProcessingActivity) -> list[ProcessingVersion]:
    return list(db.session.scalars(select(ProcessingVersion).where(ProcessingVersion.activity_id == item.id)
                                   .order_by(ProcessingVersion.version.desc())))


def version_of(item: ProcessingActivity, number: int) -> ProcessingVersion | None:
    return db.session.scalar(select(ProcessingVersion).where(ProcessingVersion.activity_id == item.id,
                                                             ProcessingVersion.version == number))


def diff(version: ProcessingVersion) -> list[tuple[str, object, object]]:
    """(field, before, after) for every field this version changed."""
    before = version.before or {}
    return [(name, before.get(name), value) for name, value in version.after.items() if before.get(name) != value]
