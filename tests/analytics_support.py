"""Shared helpers of the analytics tests: a real consent (decision row + signed cookie), the
collector's buffer, and raw page views made directly for roll-up and dashboard tests."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from webapp import clock
from webapp.analytics import collector, limiter, rollups
from webapp.analytics.models import PageView
from webapp.consent import cookies
from webapp.consent.models import ConsentDecision

CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Safari/537.36")
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.0 Mobile/15E148 Safari/604.1")


def grant(client, db_session, analytics: bool = True, marketing: bool = False) -> str:
    """Store a consent decision and give the client its signed cookie; the consent id."""
    consent_id = secrets.token_urlsafe(16)
    now = clock.now()
    db_session.add(ConsentDecision(
        consent_id=consent_id, decided_at=now, expires_at=now + timedelta(days=180), method="banner",
        action="choose", gpc=False,
        categories={"necessary": True, "analytics": analytics, "marketing": marketing},
        services=sorted(["first_party_analytics"] if analytics else [])))
    db_session.flush()
    client.set_cookie(cookies.COOKIE_NAME, cookies.sign(consent_id))
    return consent_id


def stored_views(db_session) -> list[PageView]:
    """Flush the Redis buffer into the table; every stored page view, oldest first."""
    rollups.flush()
    return db_session.scalars(select(PageView).order_by(PageView.id)).all()


@pytest.fixture()
def clean_buffer(app, redis_conn):
    keys = [collector.BUFFER_KEY, rollups.FLUSH_LOCK, *redis_conn.keys(limiter.PREFIX + "*")]
    redis_conn.delete(*keys)
    app.extensions.pop("analytics.local_windows", None)
    yield redis_conn
    app.extensions.pop("analytics.local_windows", None)


def view(at: datetime, visitor: str, path: str = "/", *, new: bool = False, source: str | None = None,
         referrer: str | None = None, medium: str | None = None, campaign: str | None = None,
         device: str = "desktop", consent_id: str | None = None) -> PageView:
    return PageView(viewed_at=at, path=path, referrer_host=referrer, utm_source=source, utm_medium=medium,
                    utm_campaign=campaign, device_type=device, os_family="Windows", browser_family="Chrome",
                    visitor_id=visitor, consent_id=consent_id, is_new_visitor=new)
