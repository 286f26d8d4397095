"""Erasure jobs: once an erasure notice has been sent, its outbox row (which names the person) goes."""

from __future__ import annotations

from webapp.erasure import services
from workers.context import job


@job(track=False)
def scrub_sent_notices() -> str:
    return f"scrubbed {services.scrub_sent_notices()}"
