"""The filters of the audit log page, parsed from the query string with clear messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import to_utc

from webapp.audit import registry
from webapp.audit.models import ACTIONS

MAX_ID = 2**63 - 1
MIN_YEAR, MAX_YEAR = 1970, 2999


@dataclass(frozen=True)
class Filters:
    type: str = ""
    action: str = ""
    user: int | None = None
    record: int | None = None
    since: date | None = None
    until: date | None = None
    before: int | None = None
    errors: tuple[str, ...] = field(default=(), compare=False)

    def args(self, **changes) -> dict[str, str]:
        """Query-string arguments (for links), without empty values."""
        values = asdict(replace(self, **changes))
        values.pop("errors")
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def since_utc(self) -> datetime | None:
        return _local_midnight(self.since) if self.since else None

    def until_utc(self) -> datetime | None:
        """Exclusive upper bound: midnight after the last day."""
        return _local_midnight(self.until + timedelta(days=1)) if self.until else None


def _local_midnight(day: date) -> datetime:
    return to_utc(datetime.combine(day, time.min)).replace(tzinfo=UTC)


def _choice(raw: str, allowed, message: str, errors: list[str]) -> str:
    if raw and raw not in allowed:
        errors.append(message)
        return ""
    return raw


def _number(raw: str, message: str, errors: list[str]) -> int | None:
    if not raw:
        return None
    if raw.isdigit() and 0 < int(raw) <= MAX_ID:
        return int(raw)
    errors.append(message)
    return None


def _day(raw: str, label: str, errors: list[str]) -> date | None:
    if not raw:
        return None
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        errors.append(_("%(field)s: “%(value)s” is not a date. Use the form YYYY-MM-DD, e.g. 2026-03-31.",
                        field=label, value=raw[:40]))
        return None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        errors.append(_("%(field)s: choose a date between %(first)s and %(last)s.",
                        field=label, first=MIN_YEAR, last=MAX_YEAR))
        return None
    return day


def parse(args: Mapping[str, str]) -> Filters:
    """Filters from ``request.args``; every problem becomes a message in ``errors``."""
    raw = {key: (args.get(key) or "").strip()[:100] for key in Filters.__dataclass_fields__}
    errors: list[str] = []
    types = {spec.name for spec in registry.specs()}
    values = {
        "type": _choice(raw["type"], types, _("Unknown record type “%(value)s”.", value=raw["type"][:40]), errors),
        "action": _choice(raw["action"], ACTIONS, _("Unknown action “%(value)s”. Choose one from the list.",
                                                     value=raw["action"][:40]), errors),
        "user": _number(raw["user"], _("Choose a user from the list."), errors),
        "record": _number(raw["record"], _("A record number is a positive whole number."), errors),
        "since": _day(raw["since"], _("From date"), errors),
        "until": _day(raw["until"], _("To date"), errors),
        "before": _number(raw["before"], _("This page link is broken; start again from the newest entries."), errors),
    }
    if values["since"] and values["until"] and values["since"] > values["until"]:
        errors.append(_("The start date is after the end date."))
    return Filters(**values, errors=tuple(errors))
