"""Starting and ending subscriptions; subscribing reopens a closed trial while its data still exists."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from webapp import clock
from webapp.accounts.models import User
from webapp.billing.models import Subscription
from webapp.billing.plans import PLANS
from webapp.extensions import db
from webapp.seclog import services as seclog
from webapp.tenant_admin.services import Refused
from webapp.tenants.models import Tenant


def data_kept_until(tenant: Tenant) -> date | None:
    """The last day a closed tenant can be reopened with its data (None: not closed)."""
    if tenant.closed_at is None:
        return None
    return (tenant.closed_at + timedelta(days=current_app.config["TRIAL_DATA_DAYS"])).date()


def current_subscription(tenant_id: int, on: date | None = None) -> Subscription | None:
    on = on or clock.now().date()
    return db.session.scalars(
        select(Subscription).where(Subscription.tenant_id == tenant_id, Subscription.starts_on <= on,
                                   (Subscription.ends_on.is_(None)) | (Subscription.ends_on >= on))
        .order_by(Subscription.starts_on.desc()).limit(1)).first()


def subscriptions_of(tenant_id: int) -> list[Subscription]:
    return list(db.session.scalars(select(Subscription).where(Subscription.tenant_id == tenant_id)
                                   .order_by(Subscription.starts_on.desc(), Subscription.id.desc())))


def start(tenant: Tenant, plan: str, seats: int, starts_on: date, actor: User | None) -> Subscription:
    """Subscribe ``tenant``; a closed tenant is reopened only while its data is still kept."""
    if plan not in PLANS:
        raise Refused("unknown plan")
    if current_subscription(tenant.id, starts_on) is not None:
        raise Refused("the tenant already has a subscription running on that day")
    if tenant.state == "closed":
        _reopen(tenant)
    subscription = Subscription(tenant_id=tenant.id, plan=plan, seats=seats, starts_on=starts_on,
                                created_by_id=actor.id if actor else None)
    db.session.add(subscription)
    previous, tenant.state = tenant.state, "subscribed"
    db.session.flush()
    from webapp.trials.services import on_subscribed

    on_subscribed(tenant.id)
    if previous != "subscribed":
        seclog.record("tenant_state_changed", user_id=actor.id if actor else None, tenant_id=tenant.id,
                      detail={"old_state": previous, "new_state": "subscribed"})
    return subscription


def _reopen(tenant: Tenant) -> None:
    kept_until = data_kept_until(tenant)
    if kept_until is None or clock.now().date() > kept_until:
        raise Refused("the tenant's data has been deleted; it cannot be reopened")
    tenant.closed_at = None


def end(subscription: Subscription, ends_on: date) -> None:
    if ends_on < subscription.starts_on:
        raise Refused("a subscription cannot end before it starts")
    if subscription.ends_on is not None and subscription.ends_on < clock.now().date():
        raise Refused("this subscription has already ended")
    subscription.ends_on = ends_on
    db.session.flush()
