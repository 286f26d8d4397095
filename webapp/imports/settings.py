"""The import settings, read from the app config with their defaults (values may be strings)."""

from __future__ import annotations

from flask import current_app

DEFAULTS: dict[str, object] = {
    "IMPORT_MAX_BYTES": 50 * 1024 * 1024,  # largest upload; raises MAX_CONTENT_LENGTH for that route only
    "IMPORT_FILE_RETENTION_DAYS": 7,  # uploaded files and reports are deleted after this many days
    "IMPORT_UNIQUE_EMAIL": False,  # refuse rows whose e-mail address a live contact already has
    "IMPORT_MAX_ROWS": 250_000,  # larger files are refused as a whole
    "IMPORT_BATCH_SIZE": 1000,  # rows per INSERT batch and per progress report
}


def get(name: str):
    value = current_app.config.get(name)
    return DEFAULTS[name] if value in (None, "") else value


def whole(name: str) -> int:
    return int(get(name))


def flag(name: str) -> bool:
    value = get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
