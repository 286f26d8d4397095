"""Localized HTML error pages (and JSON for API callers); a failed request changes nothing."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("bizalom.errors")

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("There is nothing at this address. It may have moved or never existed.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than we accept. Please send a smaller file or text.")),
    429: (_l("Too many requests"), _l("You have tried this too often. Please wait a moment and try again.")),
    500: (_l("Something went wrong"),
          _l("An unexpected error happened on our side. Nothing was changed. Please try again later.")),
}
CSRF_MESSAGE = _l("Your form had expired or was not sent from this site. Please reload the page and try again.")


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, detail=None):
    from webapp.extensions import db

    db.session.rollback()
    code = status if status in MESSAGES else (500 if status >= 500 else 400)
    title, default_detail = MESSAGES[code]
    detail = detail or default_detail
    if _wants_json():
        response = jsonify(error=str(title), detail=str(detail), status=status)
    else:
        response = render_template("errors/error.html", status=status, title=title, detail=detail)
    return response, status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return error_response(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        response, status = error_response(exc.code or 500)
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            from flask import make_response

            response = make_response(response, status)
            response.headers["Allow"] = ", ".join(exc.valid_methods)
            return response
        return response, status

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http(exc)
        log.exception("unhandled error", exc_info=exc)
        return error_response(InternalServerError.code)
