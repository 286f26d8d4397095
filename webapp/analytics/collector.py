"""The collector: server-side recording of public page views, for visitors who consented.

An ``after_request`` hook (works without JavaScript) records a GET of a public HTML page that
answered 200, when ``webapp.consent.services.granted("analytics")``. It costs one RPUSH to a
Redis buffer (``workers.analytics.flush_page_views`` moves it into the table in batches), or,
without Redis, one INSERT. The visitor id lives in the first-party cookie ``bz_vid``
(``__Host-bz_vid`` in production), set only with analytics consent and deleted again when
consent is missing. Bots, over-limit visitors and fragment requests are not recorded.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time

from flask import current_app, request
from sqlalchemy import insert

from webapp import clock
from webapp.analytics import clean, limiter
from webapp.analytics.models import PageView
from webapp.authz.policy import rule_for
from webapp.extensions import db
from webapp.http import wants_partial
from webapp.jobs import queue

log = logging.getLogger("bizalom.analytics")
COOKIE_NAME = "bz_vid"
COOKIE_MAX_AGE = 390 * 24 * 3600  # under 13 months
BUFFER_KEY = "bizalom:analytics:buffer"
BUFFER_MAX = 1_000_000
NOT_PAGES = ("static", "health.", "i18n.", "messaging.", "sso.", "password.strength")
_VALID_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_BREAKER = "analytics.buffer_down"


def cookie_name() -> str:
    return f"__Host-{COOKIE_NAME}" if current_app.config.get("PRODUCTION") else COOKIE_NAME


def consent() -> tuple[bool, str | None]:
    """(analytics granted, consent id) from the consent feature; refused if it is not there."""
    try:
        from webapp.consent import services
    except ImportError:
        return False, None
    if not services.granted("analytics"):
        return False, None
    return True, services.consent_id()


def is_page_view(response) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.mimetype != "text/html":
        return False
    endpoint = request.endpoint or ""
    if not endpoint or endpoint.startswith(NOT_PAGES) or rule_for(endpoint) != "public":
        return False
    hx = getattr(request, "htmx", None)
    if wants_partial() or (hx and hx.history_restore_request):
        return False
    return "prefetch" not in (request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", ""))


def page_path() -> str:
    """The path; for a route with variables (tokens!) its pattern, never the values."""
    rule = request.url_rule
    if rule is not None and rule.arguments:
        return clean.path(rule.rule)
    return clean.path(request.path)


def visitor() -> tuple[str, bool]:
    sent = request.cookies.get(cookie_name(), "")
    if _VALID_ID.fullmatch(sent):
        return sent, False
    return secrets.token_urlsafe(16), True


def build_row(visitor_id: str, is_new: bool, consent_id: str | None, agent: clean.Agent) -> dict:
    args = request.args
    return {
        "viewed_at": clock.now(), "path": page_path(),
        "referrer_host": clean.referrer_host(request.headers.get("Referer"), request.host),
        "utm_source": clean.utm(args.get("utm_source")), "utm_medium": clean.utm(args.get("utm_medium")),
        "utm_campaign": clean.utm(args.get("utm_campaign")),
        "device_type": agent.device_type, "os_family": agent.os_family, "browser_family": agent.browser_family,
        "visitor_id": visitor_id, "consent_id": clean.text(consent_id, 32), "is_new_visitor": is_new,
    }


def record(response):
    """The after_request hook; never fails the response."""
    try:
        _record(response)
    except Exception:  # noqa: BLE001 - analytics must never break a page
        log.exception("analytics: page view not recorded")
    return response


def _record(response) -> None:
    if not is_page_view(response):
        return
    granted, consent_id = consent()
    if not granted:
        if cookie_name() in request.cookies:
            response.delete_cookie(cookie_name(), path="/", secure=bool(current_app.config.get("PRODUCTION")),
                                   httponly=True, samesite="Lax")  # __Host- cookies need Secure to go
        return
    visitor_id, is_new = visitor()
    if is_new:
        response.set_cookie(cookie_name(), visitor_id, max_age=COOKIE_MAX_AGE, path="/", httponly=True,
                            samesite="Lax", secure=bool(current_app.config.get("PRODUCTION")))
    agent = clean.agent(request.headers.get("User-Agent", ""))
    if agent.is_bot or not limiter.allow(visitor_id, consent_id):
        return
    store(build_row(visitor_id, is_new, consent_id, agent))


def to_wire(row: dict) -> str:
    return json.dumps({**row, "viewed_at": row["viewed_at"].isoformat()}, separators=(",", ":"))


def store(row: dict) -> str:
    """Buffer in Redis, else insert: ``buffered``, ``written`` or ``dropped``."""
    if queue.mode() == "redis" and _push(row):
        return "buffered"
    return "written" if _insert(row) else "dropped"


def _push(row: dict) -> bool:
    conn = queue.connection()
    down = current_app.extensions.get(_BREAKER)
    if down is not None and down[0] is conn and time.monotonic() < down[1]:
        return False
    try:
        if conn.rpush(BUFFER_KEY, to_wire(row)) > BUFFER_MAX:
            conn.rpop(BUFFER_KEY)  # the flush job is behind: drop rather than grow without bound
    except Exception as exc:  # noqa: BLE001 - Redis down must not fail the page
        log.warning("analytics: Redis unreachable (%s); inserting directly", type(exc).__name__)
        current_app.extensions[_BREAKER] = (conn, time.monotonic() + 30)
        return False
    return True


def _insert(row: dict) -> bool:
    try:
        db.session.commit()
        db.session.execute(insert(PageView), [row])
        db.session.commit()
    except Exception as exc:  # noqa: BLE001
        db.session.rollback()
        log.warning("analytics: page view dropped (%s)", type(exc).__name__)
        return False
    return True


def init_app(app) -> None:
    app.after_request(record)
