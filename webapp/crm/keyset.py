"""Opaque keyset cursors: a tuple of sort values (str, int, datetime) as URL-safe text and back."""

from __future__ import annotations

import base64
import json
from datetime import datetime

MAX_CURSOR = 500


def encode(values: tuple) -> str:
    raw = json.dumps([{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str | None, types: tuple[type, ...]) -> tuple | None:
    """The values of ``cursor`` if they have exactly ``types`` (None: no or a broken cursor)."""
    if not cursor or len(cursor) > MAX_CURSOR:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != len(types):
        return None
    decoded = []
    for value, kind in zip(values, types, strict=True):
        if kind is datetime:
            try:
                value = datetime.fromisoformat(value["t"])
            except (TypeError, KeyError, ValueError):
                return None
            if value.tzinfo is None:
                return None
        elif kind is str and not isinstance(value, str) or kind is int and (
                not isinstance(value, int) or isinstance(value, bool)):
            return None
        decoded.append(value)
    return tuple(decoded)
