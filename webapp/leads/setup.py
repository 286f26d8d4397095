"""Leads wiring: a restricted person's lead is kept, not purged, while the restriction lasts (Art. 18)."""

from __future__ import annotations

from flask import Flask


def _restricted(table):
    return table.c.restricted_at.is_not(None)


def init_app(app: Flask) -> None:
    from webapp.retention.registry import register_restriction

    register_restriction("leads", _restricted)
