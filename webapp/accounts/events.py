"""Authentication events for the security log (one place, so names stay consistent)."""

from __future__ import annotations


def security_event(kind: str, user=None, **detail) -> None:
    from webapp.seclog import services as seclog

    seclog.record(kind, user_id=getattr(user, "id", None), tenant_id=getattr(user, "tenant_id", None),
                  detail=detail or None)
