"""Template globals: language names, htmx location and config, number formatting."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, url_for
from flask_babel import format_decimal, get_locale

HTMX_FILE = Path("vendor") / "htmx.min.js"

# htmx runs under our CSP: no eval, no injected <style>; no page snapshots in localStorage
# (personal data must not linger in the browser); 422 answers carry re-rendered forms.
HTMX_CONFIG = {
    "includeIndicatorStyles": False,
    "allowEval": False,
    "allowScriptTags": False,
    "selfRequestsOnly": True,
    "historyCacheSize": 0,
    "refreshOnHistoryMiss": True,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "422", "swap": True},
        {"code": "[45]..", "swap": True, "error": True},
    ],
}


def init_app(app: Flask) -> None:
    htmx_present = (Path(app.static_folder) / HTMX_FILE).is_file()
    if not htmx_present:
        logging.getLogger("bizalom").warning("static/vendor/htmx.min.js is missing (run `make install`)")

    @app.context_processor
    def _globals():
        from webapp.i18n.services import LANGUAGE_NAMES

        return {
            "language_names": LANGUAGE_NAMES,
            "current_locale": lambda: str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
            "htmx_src": url_for("static", filename=HTMX_FILE.as_posix()) if htmx_present else None,
            "htmx_config": HTMX_CONFIG,
        }

    app.jinja_env.filters["format_number"] = lambda value: format_decimal(value or 0)
