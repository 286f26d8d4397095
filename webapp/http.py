"""Request helpers shared by every blueprint: page-or-partial rendering, 303 redirects."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for


def wants_partial() -> bool:
    """True for htmx requests that swap a fragment (not boosted, not history restore)."""
    hx = getattr(request, "htmx", None)
    return bool(hx) and not hx.boosted and not hx.history_restore_request


def render(page: str, partial: str, status: int = 200, **context):
    """Render the full page, or only its partial for a fragment request; always ``Vary: HX-Request``."""
    template = partial if wants_partial() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def see_other(endpoint: str, **values):
    """Redirect after POST with 303 so the browser follows with GET."""
    return redirect(url_for(endpoint, **values), code=303)


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only same-site relative paths are followed (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    if any(ch in target for ch in "\r\n\x00"):
        return fallback
    return target
