"""Hooks this feature adds to the app (called from webapp.features.register)."""

from flask import Flask


def init_app(app: Flask) -> None:
    return None
