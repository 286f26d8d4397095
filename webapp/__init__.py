"""Bizalom: a privacy-first CRM. ``create_app`` builds the Flask application."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from webapp.config import PROJECT_ROOT, load_config


def create_app(overrides: dict | None = None, environ: dict | None = None) -> Flask:
    """Application factory: read config, bind extensions, register features."""
    config = load_config(environ)
    if overrides:
        config.update(overrides)
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=config["INSTANCE_PATH"],
        instance_relative_config=False,
    )
    app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    os.umask(0o027)

    from webapp import clock, features, logs
    from webapp.db import configure_engine_events_once
    from webapp.extensions import babel, csrf, db, htmx, login_manager, migrate

    logs.configure(app)
    configure_engine_events_once()
    app.extensions["clock"] = config.get("CLOCK") or clock.SystemClock()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                    compare_type=True, compare_server_default=True)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    features.init_i18n(app, babel)
    features.register(app)
    return app
