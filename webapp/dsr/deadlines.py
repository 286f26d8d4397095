"""Art. 12(3) GDPR deadlines: one calendar month from receipt, extendable by two further months.

A month later is the same day number in the next month, or that month's last day when it has no
such day (received 31 January → due 28 February, or 29 in a leap year). Days are counted in the
operator's time zone (Europe/Budapest), where the request was received.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Budapest")
MAX_EXTENSION_MONTHS = 2


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL).date()


def due_on(received_at: datetime) -> date:
    return add_months(local_day(received_at), 1)


def latest_extension(received_at: datetime) -> date:
    return add_months(local_day(received_at), 1 + MAX_EXTENSION_MONTHS)
