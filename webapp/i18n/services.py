"""Which language and time zone a request is served in."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_login import current_user

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "hu": "Magyar"}


def supported(code: str | None) -> str | None:
    return code if code in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    if not has_request_context():  # jobs and the CLI: the default language (callers may force_locale)
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    widget_locale = request.args.get("lang") if request.blueprint == "widgets" else None
    return (
        supported(widget_locale)
        or supported(user_locale)
        or supported(request.cookies.get(LANGUAGE_COOKIE))
        or request.accept_languages.best_match(current_app.config["LANGUAGES"])
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    return "Europe/Budapest"
