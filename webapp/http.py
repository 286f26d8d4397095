"""Request helpers shared by every blueprint: page-or-partial rendering, 303 redirects."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for
from werkzeug.routing import IntegerConverter


def wants_partial() -> bool:
    """True for htmx requests that swap a fragment (not boosted, not history restore)."""
    hx = getattr(request, "htmx", None)
    return bool(hx) and not hx.boosted and not hx.history_restore_request


def render(page_template: str, partial_template: str, status: int = 200, **context):
    """Render the full page, or only its partial for a fragment request; always ``Vary: HX-Request``."""
    template = partial_template if wants_partial() else page_template
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def redirect_to(location: str):
    """Redirect after POST: 303 for browsers and boosted requests; for an htmx fragment request
    (which would swap the next page into a fragment) ``HX-Redirect`` makes htmx load it whole."""
    if wants_partial():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location, code=303)


def see_other(endpoint: str, **values):
    """Redirect after POST to an endpoint (see ``redirect_to``)."""
    return redirect_to(url_for(endpoint, **values))


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only same-site relative paths are followed (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    if any(ch in target for ch in "\r\n\x00"):
        return fallback
    return target


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` that only matches ids a database INTEGER can hold: a larger number is a 404,
    never a database error."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)
