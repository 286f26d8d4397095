"""The built-in retention targets: what exists today (leads, SMS texts, the security log, import and
export files, the trash). Other features register theirs from their own setup (see ``registry``).
"""

from __future__ import annotations

from datetime import datetime

from webapp.retention.registry import Target, register

LEAD_CLOCKS = {"last_interaction": "last_interaction_at", "last_contact": "last_interaction_at",
               "created_at": "created_at"}


def _lead_source(source: str):
    return lambda table: table.c.source == source


for _name, _source, _category in (("leads_newsletter", "newsletter", "newsletter_subscriber"),
                                  ("leads_workshop", "workshop", "workshop_registrant"),
                                  ("leads_trial", "trial", "trial_contact"),
                                  ("leads_subscription", "subscription", "subscriber_contact")):
    register(Target(name=_name, category=_category, table="leads", clocks=LEAD_CLOCKS,
                    where=_lead_source(_source), person_email="email"))


register(Target(
    name="sms_bodies", category="sms_content", table="sms_messages", clocks={"created_at": "created_at"},
    action="anonymise", values={"body": "", "body_purged_at": lambda as_of: as_of},
    pending=lambda table: table.c.body_purged_at.is_(None), person_user="user_id"))


class SecurityLogChain:
    """The oldest prefix of one hash chain goes (never a hole: the chain must still verify)."""

    def __init__(self, chain: str):
        self.chain = chain

    def count(self, cutoff: datetime, as_of: datetime) -> int:
        from webapp.retention.engine import held_user_ids
        from webapp.seclog import services

        return services.purge_chain(self.chain, cutoff, dry_run=True, held_users=held_user_ids(as_of))

    def purge(self, cutoff: datetime, as_of: datetime) -> int:
        from webapp.extensions import db
        from webapp.retention.engine import held_user_ids
        from webapp.seclog import services
        from webapp.seclog.entries import format_time

        deleted = services.purge_chain(self.chain, cutoff, held_users=held_user_ids(as_of))
        if deleted:
            services.record("log_purged", detail={"deleted": {self.chain: deleted}, "as_of": format_time(as_of)})
        db.session.commit()
        return deleted


class ImportFiles:
    def count(self, cutoff: datetime, as_of: datetime) -> int:
        from webapp.imports import retention

        return retention.count_expired(cutoff)

    def purge(self, cutoff: datetime, as_of: datetime) -> int:
        from webapp.extensions import db
        from webapp.imports import retention

        purged = retention.purge_records(cutoff)
        retention.purge_orphans(max((as_of - cutoff).total_seconds(), 0))
        db.session.commit()
        return purged


class ExportFiles:
    def count(self, cutoff: datetime, as_of: datetime) -> int:
        from webapp.exports import producer

        return producer.count_expired(as_of, created_before=cutoff)

    def purge(self, cutoff: datetime, as_of: datetime) -> int:
        from webapp.exports import producer
        from webapp.extensions import db

        purged = producer.purge_expired(as_of, created_before=cutoff)
        db.session.commit()
        return purged


class Trash:
    """Trashed tenant records; record holds (``contacts`` / ``companies`` + id) keep them in the trash."""

    JOB = "workers.retention.run_retention"

    @property
    def hold_tables(self) -> list[str]:
        from webapp.audit import purge

        return [spec.model.__tablename__ for spec in purge.purge_order()]

    def count(self, cutoff: datetime, as_of: datetime) -> int:
        from webapp.audit import purge
        from webapp.retention.engine import held_records

        return purge.count_expired(cutoff, held_records(as_of))

    def purge(self, cutoff: datetime, as_of: datetime) -> int:
        from webapp.audit import purge
        from webapp.audit.context import actor
        from webapp.retention.engine import held_records

        with actor(job=self.JOB):
            counts = purge.purge_all(cutoff, "in the trash past its retention period", held_records(as_of))
        return sum(counts.values())


SECLOG_HANDLERS = {"detailed": SecurityLogChain("detailed"), "security": SecurityLogChain("security")}
register(Target(name="security_log_detailed", category="security_log_detailed", table="security_log",
                clocks={"created_at": "occurred_at"}, handler=SECLOG_HANDLERS["detailed"]))
register(Target(name="security_log_events", category="security_log_events", table="security_log",
                clocks={"created_at": "occurred_at"}, handler=SECLOG_HANDLERS["security"]))
register(Target(name="import_files", category="import_files", table="import_records",
                clocks={"created_at": "created_at"}, handler=ImportFiles()))
register(Target(name="export_files", category="export_files", table="exports",
                clocks={"created_at": "created_at"}, handler=ExportFiles()))
register(Target(name="trashed_records", category="trashed_records", table="contacts",
                clocks={"trashed_at": "deleted_at"}, handler=Trash()))
