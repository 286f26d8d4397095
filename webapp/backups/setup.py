"""Hooks of the backups feature (called from webapp.features.register)."""

from __future__ import annotations

from flask import Flask

DEFAULTS = {"BACKUP_DIR": None, "BACKUP_ONLINE_KEY": None, "BACKUP_RECIPIENT_PUBLIC_KEY": None,
            "BACKUP_KEEP_DAYS": "14"}


def init_app(app: Flask) -> None:
    from webapp.backups import cli, routes
    from webapp.pseudonymize.cli import register_db_command

    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.register_blueprint(routes.bp)
    app.cli.add_command(cli.backups)
    register_db_command(app)
