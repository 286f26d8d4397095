"""The messaging settings, read from the app config with their defaults.

Unset SMTP_HOST means the embedded "file outbox": mail stays in the table, marked as delivered
locally. An unset SMS_*_URL means the SMS "outbox" adapter for that route. Values may arrive as
strings from the environment, so they are converted here.
"""

from __future__ import annotations

from flask import current_app

DEFAULTS: dict[str, object] = {
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": True,
    "SMTP_TIMEOUT": 30,
    "MAIL_FROM": "Bizalom <no-reply@localhost>",
    "SMS_DOMESTIC_URL": None,
    "SMS_DOMESTIC_TOKEN": None,
    "SMS_INTERNATIONAL_URL": None,
    "SMS_INTERNATIONAL_TOKEN": None,
    "SMS_TIMEOUT": 10,
    "SMS_DEFAULT_REGION": "HU",
    "SMS_CALLBACK_TOKEN": None,
    "SMS_BODY_RETENTION_DAYS": 30,
    "SMS_DOMESTIC_RECIPIENT": "Opennetworks Kft.",
    "SMS_INTERNATIONAL_RECIPIENT": "LINK Mobility Poland Sp. z o.o.",
    "SMTP_RECIPIENT": "Google Ireland Limited",
}


def get(name: str):
    value = current_app.config.get(name)
    return DEFAULTS[name] if value in (None, "") else value


def flag(name: str) -> bool:
    value = get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def number(name: str) -> float:
    return float(get(name))


def whole(name: str) -> int:
    return int(get(name))
