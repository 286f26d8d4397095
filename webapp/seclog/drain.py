"""Moving buffered entries from Redis into the hash chains, in order, in batches.

Safe when two drains run at once and when one crashes at any point:

* a Redis lock (``LOCK_KEY``) lets one drain work at a time; another returns None at once;
* each entry is moved atomically (LMOVE) from the buffer to ``PROCESSING_KEY`` and removed from
  there only after its batch committed; a drain that finds entries left in processing (a crash)
  stores those first, and an entry id already in the table is skipped, so nothing is lost and
  nothing is stored twice;
* the chain head row lock and ``UNIQUE (entry_id)`` still hold if the Redis lock expired mid-run.
"""

from __future__ import annotations

import hashlib
import logging

from redis.exceptions import LockError

from webapp.extensions import db
from webapp.jobs import queue
from webapp.seclog import chain
from webapp.seclog.entries import Entry, canonical_json
from webapp.seclog.services import BUFFER_KEY

log = logging.getLogger("bizalom.seclog")
PROCESSING_KEY = "bizalom:seclog:processing"
LOCK_KEY = "bizalom:seclog:drain-lock"
LOCK_SECONDS = 120
BATCH_SIZE = 500
MAX_BATCHES = 200


def claim(conn, size: int) -> list[bytes]:
    """The entries left in processing by a crashed drain; else up to ``size`` moved, oldest first."""
    left = conn.lrange(PROCESSING_KEY, 0, size - 1)
    if left:
        return left
    waiting = min(size, conn.llen(BUFFER_KEY))
    pipe = conn.pipeline(transaction=False)
    for _ in range(waiting):
        pipe.lmove(BUFFER_KEY, PROCESSING_KEY, "LEFT", "RIGHT")
    return [raw for raw in pipe.execute() if raw is not None]


def _parse(raw: bytes) -> Entry:
    try:
        return Entry.from_wire(raw)
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("security log: unreadable buffered entry dropped (%s)", type(exc).__name__)
        digest = hashlib.sha256(raw).hexdigest()[:32]
        return Entry(kind="log_entry_invalid", entry_id=digest, detail=canonical_json({"bytes": len(raw)}))


def store_batch(raws: list[bytes]) -> int:
    """Append one claimed batch to the chains and commit; how many rows were new."""
    entries = [_parse(raw) for raw in raws]
    db.session.commit()  # the head lock must be the first statement of its transaction
    stored = chain.append(entries)
    db.session.commit()
    return stored


def release(conn, raws: list[bytes]) -> None:
    """Forget a committed batch (only these entries: another drain's are left alone)."""
    pipe = conn.pipeline(transaction=False)
    for raw in raws:
        pipe.lrem(PROCESSING_KEY, 1, raw)
    pipe.execute()


def drain(batch_size: int = BATCH_SIZE, max_batches: int = MAX_BATCHES) -> int | None:
    """Store buffered entries; the number of new rows, or None when another drain is running."""
    if queue.mode() != "redis":
        return 0
    conn = queue.connection()
    lock = conn.lock(LOCK_KEY, timeout=LOCK_SECONDS, blocking=False)
    if not lock.acquire():
        return None
    try:
        stored = 0
        for _ in range(max_batches):
            raws = claim(conn, batch_size)
            if not raws:
                break
            stored += store_batch(raws)
            release(conn, raws)
            if not _extend(lock):
                break
        return stored
    finally:
        _extend(lock, release=True)


def _extend(lock, release: bool = False) -> bool:
    """Renew (or release) the drain lock; False once it expired and another drain may hold it."""
    try:
        if release:
            lock.release()
        else:
            lock.reacquire()
    except LockError:
        log.warning("security log: the drain lock had expired; stopping this drain")
        return False
    return True
