"""Consent evidence for staff: decisions in a date range or of one consent id, as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from webapp import clock
from webapp.consent import catalogue
from webapp.consent.models import ConsentDecision
from webapp.extensions import db

DEFAULT_DAYS = 30
MAX_RANGE_DAYS = 3660
PAGE_ROWS = 200
COLUMNS = ("consent_id", "decided_at", "expires_at", "method", "action", "gpc", *catalogue.OPTIONAL_CATEGORIES,
           "services", "notice_version_id", "notice_number", "notice_hash")


class RangeError(ValueError):
    """The date range is reversed or too long."""


def date_range(start: date | None, end: date | None) -> tuple[date, date]:
    today = clock.now().date()
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise RangeError("start after end")
    if (end - start).days > MAX_RANGE_DAYS:
        raise RangeError("range too long")
    return start, end


def decisions(start: date, end: date, consent_id: str | None = None, limit: int | None = None):
    lower = datetime.combine(start, time.min, tzinfo=UTC)
    upper = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    query = select(ConsentDecision).where(ConsentDecision.decided_at >= lower, ConsentDecision.decided_at < upper)
    if consent_id:
        query = query.where(ConsentDecision.consent_id == consent_id)
    query = query.order_by(ConsentDecision.decided_at, ConsentDecision.id)
    if limit:
        query = query.limit(limit)
    return db.session.scalars(query).all()


def history(consent_id: str):
    """Every decision of one consent id, oldest first."""
    return db.session.scalars(select(ConsentDecision).where(ConsentDecision.consent_id == consent_id)
                              .order_by(ConsentDecision.decided_at, ConsentDecision.id)).all()


def as_row(decision: ConsentDecision) -> dict:
    row = {"consent_id": decision.consent_id, "decided_at": decision.decided_at.isoformat(),
           "expires_at": decision.expires_at.isoformat(), "method": decision.method, "action": decision.action,
           "gpc": decision.gpc}
    row |= {key: decision.granted(key) for key in catalogue.OPTIONAL_CATEGORIES}
    row |= {"services": list(decision.services), "notice_version_id": decision.notice_version_id,
            "notice_number": decision.notice_number, "notice_hash": decision.notice_hash}
    return row


def to_json(rows) -> str:
    return json.dumps([as_row(d) for d in rows], ensure_ascii=False, indent=1)


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text  # spreadsheets must not see formulas


def to_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for decision in rows:
        row = as_row(decision)
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return out.getvalue()
