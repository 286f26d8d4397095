"""The security log (OWASP ASVS V16): page/function access and authentication events.

Public API (stable; other features use only this):

``record(kind, *, user_id=None, tenant_id=None, detail=None) -> None``
    Log one event. ``kind`` is one of ``webapp.seclog.kinds.KINDS`` (a closed set; anything else
    is a ValueError). Inside a request the endpoint, the method and the browser cookie id are
    filled in, ``user_id``/``tenant_id`` default to the signed-in user's, and the entry is sent
    with the request's others after the response is built. In a job or a CLI command it is sent
    at once. ``detail`` is a small dict of plain values: an ``email`` key is replaced by
    ``email_hmac`` (HMAC-SHA256 of the normalized address keyed from SECRET_KEY, so repeated
    attempts correlate without disclosing it); keys such as ``ip``, ``user_agent``,
    ``password``, ``token`` or ``cookie`` are refused. Entries are written even if the caller's
    transaction later rolls back when Redis buffers them: the event happened.

Page access is logged automatically (``setup.py``) for signed-in users; authentication events
are recorded by the features that see them (``webapp.accounts.events.security_event``).
``purge_expired(as_of=None, dry_run=False)`` deletes entries
past retention; ``chain.verify()`` checks the hash chains; ``drain.drain()`` empties the buffer.

Path of an entry: one RPUSH of compact JSON to the Redis list ``BUFFER_KEY`` (one round trip per
request); ``workers.seclog.drain_security_log`` appends them to the chains in order. Without
Redis (inline mode) or while it is unreachable, the entry is appended to the chain directly in
the current transaction (a savepoint: a failure never breaks the request; it is logged).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, func, select

from webapp import clock
from webapp.extensions import db
from webapp.jobs import queue
from webapp.seclog import browser, chain
from webapp.seclog.entries import Entry, clean_detail, format_time
from webapp.seclog.kinds import DETAILED, SECURITY, chain_of

log = logging.getLogger("bizalom.seclog")
BUFFER_KEY = "bizalom:seclog:buffer"
RETENTION = {DETAILED: ("SECLOG_DETAILED_RETENTION_DAYS", 90), SECURITY: ("SECLOG_SECURITY_RETENTION_DAYS", 365)}
PURGE_BATCH = 1000
BREAKER_SECONDS = 30
_BREAKER = "seclog.redis_down"
_PENDING = "seclog_entries"


def record(kind: str, *, user_id: int | None = None, tenant_id: int | None = None,
           detail: Mapping | None = None) -> None:
    """Log one security event (see the module docstring)."""
    entry = make_entry(kind, user_id=user_id, tenant_id=tenant_id, detail=detail)
    if has_request_context():
        g.setdefault(_PENDING, []).append(entry)
    else:
        store([entry], commit=False)


def make_entry(kind: str, *, user_id: int | None = None, tenant_id: int | None = None,
               detail: Mapping | None = None, status: int | None = None) -> Entry:
    chain_of(kind)
    fields = {"user_id": user_id, "tenant_id": tenant_id, "status": status, "detail": clean_detail(detail)}
    if has_request_context():
        if user_id is None and tenant_id is None and current_user.is_authenticated:
            fields |= {"user_id": current_user.id, "tenant_id": getattr(current_user, "tenant_id", None)}
        fields |= {"endpoint": (request.endpoint or "")[:120] or None, "method": request.method[:10],
                   "browser_id": browser.browser_id()}
    entry = Entry(kind=kind, **fields)
    entry.check()
    return entry


def flush_request(extra: Sequence[Entry] = ()) -> str | None:
    """Send this request's entries (``extra`` last); the after_request hook calls it once."""
    entries = g.pop(_PENDING, []) + list(extra)
    return store(entries, commit=True) if entries else None


def store(entries: Sequence[Entry], *, commit: bool) -> str:
    """Buffer in Redis, else append to the chain directly: ``buffered``, ``written`` or ``lost``."""
    if queue.mode() == "redis" and _push(entries):
        return "buffered"
    return "written" if _write(entries, commit=commit) else "lost"


def _push(entries: Sequence[Entry]) -> bool:
    conn = queue.connection()
    down = current_app.extensions.get(_BREAKER)
    if down is not None and down[0] is conn and time.monotonic() < down[1]:
        return False
    try:
        conn.rpush(BUFFER_KEY, *(entry.to_wire() for entry in entries))
    except Exception as exc:  # noqa: BLE001 - Redis down must not fail the request
        log.warning("security log: Redis unreachable (%s); writing to the database", type(exc).__name__)
        current_app.extensions[_BREAKER] = (conn, time.monotonic() + BREAKER_SECONDS)
        return False
    return True


def _write(entries: Sequence[Entry], *, commit: bool) -> bool:
    try:
        if commit:  # a fresh transaction, so SQLite's write lock is taken before any read
            db.session.commit()
        with db.session.begin_nested():
            chain.append(entries)
        if commit:
            db.session.commit()
    except Exception as exc:  # noqa: BLE001 - the log must never break the request
        if commit:
            db.session.rollback()
        log.error("security log entries not stored (%s): %s", type(exc).__name__,
                  [entry.to_wire() for entry in entries])
        return False
    return True


def retention_days() -> dict[str, int]:
    """Days kept per retention class, from app.config (defaults: detailed 90, security 365)."""
    return {name: int(current_app.config.get(key, default)) for name, (key, default) in RETENTION.items()}


def _expired_below(name: str, cutoff: datetime) -> int:
    """Entries of chain ``name`` with seq below this are all older than ``cutoff``: a prefix is
    deleted, never a hole, so the chain still verifies."""
    events = chain.EVENTS
    first_kept = db.session.scalar(
        select(func.min(events.c.seq)).where(events.c.chain == name, events.c.occurred_at >= cutoff))
    if first_kept is not None:
        return first_kept
    return (db.session.scalar(select(func.max(events.c.seq)).where(events.c.chain == name)) or 0) + 1


def _delete_below(name: str, below: int) -> int:
    events = chain.EVENTS
    lower = db.session.scalar(select(func.min(events.c.seq)).where(events.c.chain == name))
    deleted = 0
    while lower is not None and lower < below:
        upper = min(lower + PURGE_BATCH, below)
        deleted += db.session.execute(
            delete(events).where(events.c.chain == name, events.c.seq >= lower, events.c.seq < upper)).rowcount
        lower = upper
    return deleted


def _count_below(name: str, below: int) -> int:
    events = chain.EVENTS
    return db.session.scalar(select(func.count()).select_from(events)
                             .where(events.c.chain == name, events.c.seq < below)) or 0


def purge_chain(name: str, cutoff: datetime, dry_run: bool = False, held_users: Sequence[int] = ()) -> int:
    """Delete (or, dry, count) the entries of chain ``name`` older than ``cutoff``: the oldest prefix.

    The retention engine calls this with the cutoff of the records of processing and the users
    under a legal hold: the prefix stops before their first entry (no hole in the chain). The
    caller commits.
    """
    below = _expired_below(name, cutoff)
    if held_users:
        events = chain.EVENTS
        first_held = db.session.scalar(select(func.min(events.c.seq)).where(
            events.c.chain == name, events.c.user_id.in_(list(held_users))))
        if first_held is not None:
            below = min(below, first_held)
    return _count_below(name, below) if dry_run else _delete_below(name, below)


def purge_expired(as_of: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete entries past their class's retention (set-based, in batches); counts per class.

    ``dry_run`` only counts. A real purge records a ``log_purged`` event. The caller commits.
    """
    as_of = as_of or clock.now()
    counts = {name: purge_chain(name, as_of - timedelta(days=days), dry_run=dry_run)
              for name, days in retention_days().items()}
    if not dry_run:
        record("log_purged", detail={"deleted": counts, "as_of": format_time(as_of)})
    return counts
