"""Liveness and readiness probes as JSON."""

from __future__ import annotations

from flask import Blueprint, jsonify

from webapp.authz import allow
from webapp.health.services import readiness

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@allow("public")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@allow("public")
def readyz():
    checks = readiness()
    ready = all(check["ok"] for check in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
