"""Who is acting: the signed-in user of a request, or a named job; kept in ``db.session.info``."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from flask_login import current_user

from webapp.extensions import db

ACTOR_KEY = "audit_actor"


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    job: str | None = None


def current_actor(session=None) -> Actor | None:
    return (session or db.session).info.get(ACTOR_KEY)


def set_actor(value: Actor | None) -> None:
    if value is None:
        db.session.info.pop(ACTOR_KEY, None)
    else:
        db.session.info[ACTOR_KEY] = value


@contextmanager
def actor(*, user_id: int | None = None, job: str | None = None):
    """Attribute the changes made inside the block: ``with actor(job="import_contacts"): ...``."""
    if (user_id is None) == (job is None):
        raise ValueError("give exactly one of user_id or job")
    previous = current_actor()
    set_actor(Actor(user_id=user_id, job=job))
    try:
        yield
    finally:
        set_actor(previous)


def actor_from_request() -> None:
    """before_request: a signed-in user's changes are theirs; anonymous requests have no actor."""
    signed_in = current_user and current_user.is_authenticated
    set_actor(Actor(user_id=current_user.id) if signed_in else None)


def fallback_actor() -> Actor | None:
    """Outside a request and without ``actor()``: the RQ job that is running, if any."""
    from rq import get_current_job

    job = get_current_job()
    return Actor(job=job.func_name[:80]) if job is not None else None
