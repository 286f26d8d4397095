"""Public API of analytics for other features: access and erasure by consent id, statistics.

``visits_for_consent(consent_id)`` lists a visitor's raw page views (those under the consent id,
and any other of the same visitor ids); ``erase_consent(consent_id)`` deletes them, also from the
Redis buffer. Roll-ups hold aggregates without ids and stay. Services flush; callers commit.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, or_, select

from webapp.analytics.collector import BUFFER_KEY
from webapp.analytics.models import PageView
from webapp.analytics.rollups import FLUSH_LOCK
from webapp.extensions import db
from webapp.jobs import queue

EXPORTED = ("viewed_at", "path", "referrer_host", "utm_source", "utm_medium", "utm_campaign", "device_type",
            "os_family", "browser_family", "is_new_visitor")


def _of_consent(consent_id: str):
    visitors = db.session.scalars(select(PageView.visitor_id).distinct()
                                  .where(PageView.consent_id == consent_id)).all()
    return or_(PageView.consent_id == consent_id, PageView.visitor_id.in_(visitors))


def visits_for_consent(consent_id: str | None) -> list[dict]:
    """The page views of the visitor behind this consent id, oldest first (for access reports)."""
    if not consent_id:
        return []
    rows = db.session.scalars(select(PageView).where(_of_consent(consent_id))
                              .order_by(PageView.viewed_at, PageView.id))
    return [{name: getattr(row, name) for name in EXPORTED} for row in rows]


def erase_consent(consent_id: str | None) -> int:
    """Delete the visitor's raw page views (stored and buffered); how many stored rows."""
    if not consent_id:
        return 0
    _erase_buffered(consent_id)
    deleted = db.session.execute(delete(PageView).where(_of_consent(consent_id))
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    return deleted


def _erase_buffered(consent_id: str) -> None:
    """Remove buffered views of this consent id under the flush lock (so no batch shifts)."""
    if queue.mode() != "redis":
        return
    conn = queue.connection()
    with conn.lock(FLUSH_LOCK, timeout=60, blocking_timeout=30):
        for raw in conn.lrange(BUFFER_KEY, 0, -1):
            try:
                mine = json.loads(raw).get("consent_id") == consent_id
            except (ValueError, AttributeError):
                mine = False
            if mine:
                conn.lrem(BUFFER_KEY, 1, raw)
