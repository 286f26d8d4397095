"""Retention of a closed account's customer data: TRIAL_DATA_DAYS after closing, the tenant goes.

Deleting the tenant row removes, by the database's cascades, everything the tenant owns: users,
contacts, companies, notes, tasks, custom fields, imports, exports and the tenant's audit trail
(unlocked for this one statement). Invoices stay, unlinked, under their own legal obligation.
Subscribing before the deadline reopens the tenant (``billing.subscriptions``), which stops the clock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select

from webapp.extensions import db
from webapp.tenants.models import Tenant


class ClosedTenantData:
    hold_tables = ("tenants",)

    def _expired(self, cutoff: datetime, as_of: datetime):
        from webapp.retention.engine import held_records

        held = held_records(as_of).get("tenants", set())
        stmt = select(Tenant.id).where(Tenant.state == "closed", Tenant.closed_at < cutoff)
        return stmt.where(Tenant.id.not_in(held)) if held else stmt

    def count(self, cutoff: datetime, as_of: datetime) -> int:
        return db.session.scalar(select(func.count()).select_from(self._expired(cutoff, as_of).subquery()))

    def purge(self, cutoff: datetime, as_of: datetime) -> int:
        from webapp.audit.services import unlocked

        purged = 0
        for tenant_id in list(db.session.scalars(self._expired(cutoff, as_of))):
            with unlocked("retention: closed tenant data"):
                db.session.execute(delete(Tenant).where(Tenant.id == tenant_id))
            db.session.commit()
            purged += 1
        return purged


_HANDLER = ClosedTenantData()


def register_target() -> None:
    """Idempotent: every app built in one process registers the same definition."""
    from webapp.retention.registry import Target, register

    register(Target(name="closed_tenant_data", category="trial_tenant_data", table="tenants",
                    clocks={"trial_closed_at": "closed_at"}, handler=_HANDLER))
