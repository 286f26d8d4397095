"""Security headers on every response (CSP without unsafe-inline, no third-party origins)."""

from __future__ import annotations

from flask import Flask, g
from flask_login import current_user

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def allow_framing(response, origins: str = "*"):
    """Embeddable widgets opt in per response; every other page refuses framing."""
    g.frame_ancestors = origins
    return response


def allow_origins(directive: str, *origins: str) -> None:
    """Consented third-party tags add their origins to one directive of this response's CSP only."""
    extra = g.setdefault("csp_extra_origins", {})
    extra.setdefault(directive, [])
    extra[directive] += [o for o in origins if o not in extra[directive]]


def _with_extra_origins(csp: str) -> str:
    parts = []
    extra = dict(g.get("csp_extra_origins") or {})
    for part in csp.split("; "):
        name = part.split(" ", 1)[0]
        parts.append(" ".join([part, *extra.pop(name, [])]))
    parts += [" ".join([name, *origins]) for name, origins in extra.items()]
    return "; ".join(parts)


def init_app(app: Flask) -> None:
    production = app.config["PRODUCTION"]

    @app.after_request
    def _security_headers(response):
        csp = CSP
        framing = g.get("frame_ancestors")
        if framing:
            csp = csp.replace("frame-ancestors 'none'", f"frame-ancestors {framing}")
        if g.get("csp_extra_origins"):
            csp = _with_extra_origins(csp)
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not framing:
            response.headers.setdefault("X-Frame-Options", "DENY")
        if production:
            response.headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if current_user and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
