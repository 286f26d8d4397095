"""Counting newsletter clicks as interactions, only for subscribers who said yes to it.

Their links point to a first-party redirect carrying a signed (subscription, address) pair; opening it
restarts the retention clock ("last interaction") and forwards to the address. Nobody else's links
are touched, and there are no tracking pixels.
"""

from __future__ import annotations

import re

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

URL = re.compile(r"https?://[^\s<>\"']+")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="newsletter-click")


def wrap_links(text: str, base_url: str, subscription_id: int) -> str:
    def _wrapped(match: re.Match) -> str:
        return f"{base_url}/newsletter/c/{_serializer().dumps([subscription_id, match.group(0)])}"

    return URL.sub(_wrapped, text)


def unwrap(token: str) -> tuple[int, str] | None:
    if not token or len(token) > 3000:
        return None
    try:
        subscription_id, target = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(subscription_id, int) or not isinstance(target, str) or not URL.fullmatch(target):
        return None
    return subscription_id, target
