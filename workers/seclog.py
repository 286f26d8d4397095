"""Security log jobs: drain the Redis buffer into the hash chains; purge expired entries."""

from __future__ import annotations

import logging

from webapp.seclog import chain, drain, services
from workers.context import job

log = logging.getLogger("bizalom.seclog")


@job(track=False)
def drain_security_log(batch_size: int = drain.BATCH_SIZE) -> str:
    """Append buffered entries to the chains (commits per batch); a no-op if another drain runs."""
    stored = drain.drain(batch_size=int(batch_size))
    return "busy: another drain is running" if stored is None else f"drained {stored}"


@job
def purge_security_log() -> str:
    """Delete entries past retention; logs the chain heads as an outside witness of the chains."""
    counts = services.purge_expired()
    log.info("security log heads: %s", chain.heads())
    return "purged " + ", ".join(f"{name} {count}" for name, count in counts.items())
