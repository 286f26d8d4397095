"""The dashboard's date-range filter, parsed from the query string with clear messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _

from webapp import clock

DEFAULT_DAYS = 30
MAX_DAYS = 400


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    errors: tuple[str, ...] = field(default=(), compare=False)


def _day(raw: str, errors: list[str], message: str) -> date | None:
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    errors.append(message)
    return None


def parse(args: Mapping[str, str]) -> DateRange:
    """The range asked for (default: the last 30 days up to today); on an error the default range
    with the messages."""
    today = clock.now().date()
    default = DateRange(today - timedelta(days=DEFAULT_DAYS - 1), today)
    errors: list[str] = []
    raw_start, raw_end = (args.get("start") or "").strip(), (args.get("end") or "").strip()
    start = _day(raw_start, errors, _("The start date is not a valid date (YYYY-MM-DD)."))
    end = _day(raw_end, errors, _("The end date is not a valid date (YYYY-MM-DD)."))
    end = end or default.end
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if not errors and start > end:
        errors.append(_("The start date must not be after the end date."))
    if not errors and (end - start).days + 1 > MAX_DAYS:
        errors.append(_("Choose at most %(days)d days.", days=MAX_DAYS))
    if errors:
        return DateRange(default.start, default.end, tuple(errors))
    return DateRange(start, end)
