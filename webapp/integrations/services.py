"""Switching integrations on and off; the calendar feed they serve.

Switching on an integration whose provider the registry flags as outside the EU needs the tenant
admin's explicit consent to that transfer, stored as evidence (who, when, a hash of the text shown)
and written to the transfer log.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time

from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select

from webapp import clock, crypto, tenancy
from webapp.extensions import db
from webapp.integrations.catalogue import INTEGRATIONS, Integration
from webapp.integrations.models import TenantIntegration
from webapp.transfers.services import Disclosure, record


class Refused(ValueError):
    """Not possible as asked (unknown, already on, or the third-country consent is missing)."""


def third_country(integration: Integration) -> bool:
    """From the sub-processor registry; a provider missing there counts as outside the EU."""
    from webapp.subprocessors.models import Subprocessor

    flag = db.session.scalar(select(Subprocessor.third_country).where(Subprocessor.name == integration.provider))
    return True if flag is None else bool(flag)


def consent_text(integration: Integration) -> str:
    return _("I agree that %(data)s are sent to %(provider)s, outside the European Union, where the data "
             "protection level may be lower. I can switch this off at any time.",
             data=integration.data, provider=integration.provider)


def active() -> list[TenantIntegration]:
    return list(db.session.scalars(select(TenantIntegration).where(TenantIntegration.disabled_at.is_(None))))


def enable(admin, key: str, consented: bool) -> tuple[TenantIntegration, str]:
    integration = INTEGRATIONS.get(key)
    if integration is None:
        raise Refused("unknown")
    if any(row.key == key for row in active()):
        raise Refused("already on")
    outside = third_country(integration)
    if outside and not consented:
        raise Refused("consent missing")
    token = crypto.new_token()
    row = TenantIntegration(tenant_id=admin.tenant_id, key=key, enabled_at=clock.now(), enabled_by_id=admin.id,
                            third_country=outside, feed_token_hash=crypto.token_hash(token),
                            consent_text_hash=hashlib.sha256(consent_text(integration).encode()).hexdigest()
                            if outside else None)
    db.session.add(row)
    db.session.flush()
    record(Disclosure(recipient=integration.provider, recipient_kind="processor",
                      legal_basis="consent" if outside else "contract", purpose=f"integration:{key}"[:60],
                      data_description=str(integration.data), subject_user_id=admin.id,
                      subject_email=admin.email, reference=f"integration:{row.id}"))
    return row, token


def disable(admin, integration_id: int) -> bool:
    row = db.session.get(TenantIntegration, integration_id)
    if row is None or row.disabled_at is not None:
        return False
    row.disabled_at, row.disabled_by_id = clock.now(), admin.id
    db.session.flush()
    return True


def calendar_for(token: str) -> bytes | None:
    """The tasks feed behind a secret address; None for an unknown or switched-off one."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalars(tenancy.all_tenants(select(TenantIntegration).where(
        TenantIntegration.feed_token_hash == crypto.token_hash(token),
        TenantIntegration.disabled_at.is_(None)))).first()
    if row is None:
        return None
    from webapp.activities.models import Task

    calendar = Calendar()
    calendar.add("prodid", "-//Bizalom//tasks//EN")
    calendar.add("version", "2.0")
    with tenancy.scoped(row.tenant_id):
        tasks = db.session.scalars(select(Task).where(Task.done_at.is_(None), Task.deleted_at.is_(None),
                                                      Task.due_on.is_not(None)).order_by(Task.due_on).limit(2000))
        for task in tasks:
            event = Event()
            event.add("uid", f"task-{task.id}@bizalom")
            event.add("summary", task.title)
            event.add("dtstart", task.due_on)
            event.add("dtstamp", datetime.combine(task.due_on, time(), tzinfo=clock.now().tzinfo))
            calendar.add_component(event)
    return calendar.to_ical()
