"""Lead pages and the retention of marketing profiles."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from webapp.retention.registry import Target, register


def _lead_last_interaction(table):
    from webapp.extensions import db

    leads = db.metadata.tables["leads"]
    return select(leads.c.last_interaction_at).where(leads.c.id == table.c.lead_id).scalar_subquery()


# The profile goes when the lead has been silent for the marketing_profile activity's period.
PROFILE_TARGET = Target(name="lead_profiles", category="marketing_profile", table="lead_profiles",
                        clocks={"last_interaction": _lead_last_interaction, "last_contact": _lead_last_interaction,
                                "created_at": "updated_at"}, key="lead_id")


def init_app(app: Flask) -> None:
    from webapp.profiles import routes

    register(PROFILE_TARGET)
    app.register_blueprint(routes.bp)
