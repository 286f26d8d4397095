"""A closed trial's data is deleted 90 days after closing (time travel); subscribing before keeps it."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select, text

from webapp import clock, tenancy
from webapp.billing import invoices, subscriptions
from webapp.billing.invoices import Customer, Line
from webapp.crm.models import Contact
from webapp.retention import services as retention
from webapp.tenants.models import Tenant


def _closed_trial(app, make, db_session, closed_at):
    tenant = make.tenant(state="trial")
    make.user(tenant=tenant, role="admin")
    make.contact(tenant, last_name="Trialdata")
    tenant.state, tenant.closed_at = "closed", closed_at
    db_session.flush()
    return tenant


def _contacts_of(tenant_id):
    with tenancy.scoped(tenant_id):
        from webapp.extensions import db

        return db.session.scalar(select(func.count(Contact.id)))


def test_closed_trial_data_is_gone_after_90_days_and_kept_before(app, make, db_session):
    closed = clock.now()
    old = _closed_trial(app, make, db_session, closed - timedelta(days=91))
    recent = _closed_trial(app, make, db_session, closed - timedelta(days=89))
    with app.test_request_context(headers={"Accept-Language": "en"}):
        paid = invoices.draft(Customer(name="Old Trial Kft.", address="Budapest"), [Line("Seats", 1, 100)],
                              tenant_id=old.id)
        invoices.issue(paid, None)
    old_id, recent_id, invoice_id = old.id, recent.id, paid.id
    db_session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        preview = retention.run(dry_run=True)
        assert db_session.get(Tenant, old_id) is not None  # a dry run deletes nothing
        retention.run()
    db_session.expire_all()
    assert db_session.get(Tenant, old_id) is None and _contacts_of(old_id) == 0
    assert db_session.scalar(text("SELECT count(*) FROM users WHERE tenant_id = :t"), {"t": old_id}) == 0
    assert db_session.get(Tenant, recent_id) is not None and _contacts_of(recent_id) == 1
    row = db_session.execute(text("SELECT tenant_id, customer_name FROM invoices WHERE id = :i"),
                             {"i": invoice_id}).one()
    assert tuple(row) == (None, "Old Trial Kft.")  # invoices outlive the tenant
    assert preview is not None


def test_subscribing_on_day_89_keeps_the_data_through_later_purges(app, make, db_session):
    start = clock.now()
    tenant = _closed_trial(app, make, db_session, start)
    tenant_id = tenant.id
    db_session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with time_machine.travel(start + timedelta(days=89), tick=False):
            subscriptions.start(tenant, "starter", 1, clock.now().date(), None)
        db_session.commit()
        with time_machine.travel(start + timedelta(days=200), tick=False):
            retention.run()
    db_session.expire_all()
    assert db_session.get(Tenant, tenant_id).state == "subscribed" and _contacts_of(tenant_id) == 1
