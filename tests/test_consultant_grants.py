"""'Invite consultant': time-limited, revocable access of an operator consultant to a tenant's
settings and to none of its customer data, enforced by the policy layer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import template_rendered
from sqlalchemy import select

from tests.conftest import csrf_from
from webapp import tenancy
from webapp.crm.models import Contact
from webapp.tenants.models import ConsultantGrant, Tenant


def _client(app, user=None, password=None):
    test_client = app.test_client()
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if user is not None:
        _sign_in(test_client, user, password)
    return test_client


def _sign_in(test_client, user, password=None):
    from tests.factories import Factories

    token = csrf_from(test_client.get("/login").get_data(as_text=True))
    response = test_client.post("/login", data={"email": user.email, "password": password or Factories.PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 303


def _post(test_client, path, page, **data):
    return test_client.post(path, data={"csrf_token": csrf_from(test_client.get(page).get_data(as_text=True)),
                                        **data})


@pytest.fixture()
def setup(app, make):
    tenant = make.tenant(name="Duna Design Kft.")
    admin = make.user(tenant=tenant, role="admin")
    consultant = make.user(staff_role="consultant", name="Gergő Consultant", email="gergo@bizalom.example")
    make.contact(tenant, first_name="Zebulon", last_name="Titkosfalvi")
    return tenant, _client(app, admin), consultant, _client(app, consultant)


def _grant(admin_client, email="gergo@bizalom.example", days=7):
    return _post(admin_client, "/settings/consultants", "/settings/consultants", email=email, days=days)


def test_grant_gives_access_to_settings_only(setup, db_session, events):
    tenant, admin_client, consultant, consultant_client = setup
    settings = f"/consultant/tenants/{tenant.id}/settings"
    assert consultant_client.get(settings).status_code == 403, "no grant yet"
    assert "Duna Design" not in consultant_client.get("/consultant/tenants").get_data(as_text=True)
    assert _grant(admin_client).status_code == 303
    listing = consultant_client.get("/consultant/tenants").get_data(as_text=True)
    assert "Duna Design Kft." in listing and settings in listing
    page = consultant_client.get(settings)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Duna Design Kft." in html and "Subscribed" in html
    assert "Zebulon" not in html and "Titkosfalvi" not in html
    viewed = events("consultant_access")
    assert [(e.user_id, e.tenant_id, json.loads(e.detail)["action"]) for e in viewed] == [
        (consultant.id, tenant.id, "view_settings")]
    granted = events("consultant_granted")
    assert json.loads(granted[0].detail)["consultant_id"] == consultant.id and granted[0].tenant_id == tenant.id


def test_customer_data_stays_unreachable_with_an_active_grant(app, setup, db_session):
    tenant, admin_client, _consultant, consultant_client = setup
    _grant(admin_client)
    contact = db_session.scalar(tenancy.all_tenants(select(Contact).where(Contact.tenant_id == tenant.id)))
    for path in ("/contacts", f"/contacts/{contact.id}", f"/contacts/{contact.id}/row",
                 f"/contacts/{contact.id}/edit", "/settings/users", "/settings/consultants"):
        response = consultant_client.get(path)
        assert response.status_code == 403, path
        assert "Titkosfalvi" not in response.get_data(as_text=True)
    scopes = []

    def _seen(_sender, template, context, **_extra):
        scopes.append(tenancy.current_tenant_id())

    with template_rendered.connected_to(_seen, app):
        assert consultant_client.get(f"/consultant/tenants/{tenant.id}/settings").status_code == 200
    assert scopes and set(scopes) == {None}, "a consultant's request never runs in the tenant"


def test_the_refusal_happens_before_any_customer_data_query(app, setup):
    """403 comes from the policy layer, not from a TenantScopeError deep in a view."""
    from flask import got_request_exception
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    tenant, admin_client, _consultant, consultant_client = setup
    _grant(admin_client)
    touched, crashed = [], []

    def _spy(state):
        touched.extend(m.class_.__name__ for m in state.all_mappers if issubclass(m.class_, tenancy.TenantOwned))

    event.listen(Session, "do_orm_execute", _spy)
    try:
        with got_request_exception.connected_to(lambda _sender, exception, **_: crashed.append(exception), app):
            for path in ("/contacts", "/contacts/new", "/settings/consultants"):
                assert consultant_client.get(path).status_code == 403, path
            assert consultant_client.get(f"/consultant/tenants/{tenant.id}/settings").status_code == 200
    finally:
        event.remove(Session, "do_orm_execute", _spy)
    assert touched == [] and crashed == []


def test_consultant_may_require_a_second_factor(setup, db_session, events):
    tenant, admin_client, consultant, consultant_client = setup
    _grant(admin_client)
    settings = f"/consultant/tenants/{tenant.id}/settings"
    response = _post(consultant_client, f"/consultant/tenants/{tenant.id}/security", settings, require_2fa="1")
    assert response.status_code == 303 and response.headers["Location"] == settings
    db_session.expire_all()
    assert db_session.get(Tenant, tenant.id).require_2fa is True
    changed = [json.loads(e.detail) for e in events("consultant_access")]
    assert {"action": "set_require_2fa", "require_2fa": True} in changed


def test_access_ends_when_the_grant_expires(app, setup, make):
    tenant, admin_client, consultant, _consultant_client = setup
    _grant(admin_client, days=2)
    settings = f"/consultant/tenants/{tenant.id}/settings"
    with time_machine.travel(datetime.now(UTC) + timedelta(days=1, hours=23)):
        assert _client(app, consultant).get(settings).status_code == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(days=2, minutes=1)):
        late = _client(app, consultant)
        assert late.get(settings).status_code == 403
        assert late.post(f"/consultant/tenants/{tenant.id}/security",
                         data={"require_2fa": "1", "csrf_token": csrf_from(late.get("/").get_data(
                             as_text=True))}).status_code == 403
        assert "Duna Design" not in late.get("/consultant/tenants").get_data(as_text=True)


def test_revocation_ends_access_at_once(setup, db_session, events):
    tenant, admin_client, consultant, consultant_client = setup
    _grant(admin_client)
    settings = f"/consultant/tenants/{tenant.id}/settings"
    assert consultant_client.get(settings).status_code == 200
    grant = db_session.scalar(select(ConsultantGrant).where(ConsultantGrant.tenant_id == tenant.id))
    assert "gergo@bizalom.example" in admin_client.get("/settings/consultants").get_data(as_text=True)
    response = _post(admin_client, f"/settings/consultants/{grant.id}/revoke", "/settings/consultants")
    assert response.status_code == 303
    assert consultant_client.get(settings).status_code == 403
    assert "gergo@bizalom.example" not in admin_client.get("/settings/consultants").get_data(as_text=True)
    assert [e.tenant_id for e in events("consultant_revoked")] == [tenant.id]


def test_a_grant_covers_only_its_tenant(setup, make):
    _tenant, admin_client, _consultant, consultant_client = setup
    _grant(admin_client)
    other = make.tenant()
    assert consultant_client.get(f"/consultant/tenants/{other.id}/settings").status_code == 403
    assert consultant_client.get("/consultant/tenants/999999/settings").status_code == 403


def test_only_consultants_can_be_invited(setup, make, db_session):
    tenant, admin_client, _consultant, _consultant_client = setup
    support = make.user(staff_role="support")
    for email in (support.email, make.user(tenant=tenant).email, "nobody@example.com"):
        response = _grant(admin_client, email=email)
        assert response.status_code == 422 and "No Bizalom consultant" in response.get_data(as_text=True)
    for days in (0, 31, "x"):
        assert _grant(admin_client, days=days).status_code == 422, days
    assert db_session.scalars(select(ConsultantGrant).where(ConsultantGrant.tenant_id == tenant.id)).all() == []


def test_a_new_grant_replaces_the_earlier_one(setup, db_session):
    tenant, admin_client, _consultant, _consultant_client = setup
    _grant(admin_client, days=30)
    _grant(admin_client, days=1)
    live = db_session.scalars(select(ConsultantGrant).where(ConsultantGrant.tenant_id == tenant.id,
                                                            ConsultantGrant.revoked_at.is_(None))).all()
    assert len(live) == 1 and live[0].expires_at < datetime.now(UTC) + timedelta(days=2)


def test_admins_cannot_touch_grants_of_another_tenant(app, setup, make, db_session):
    tenant, admin_client, _consultant, consultant_client = setup
    _grant(admin_client)
    grant = db_session.scalar(select(ConsultantGrant).where(ConsultantGrant.tenant_id == tenant.id))
    stranger = _client(app, make.user(tenant=make.tenant(), role="admin"))
    assert "gergo@bizalom.example" not in stranger.get("/settings/consultants").get_data(as_text=True)
    response = _post(stranger, f"/settings/consultants/{grant.id}/revoke", "/settings/consultants")
    assert response.status_code == 404
    assert consultant_client.get(f"/consultant/tenants/{tenant.id}/settings").status_code == 200


def test_other_staff_and_tenant_users_are_refused(app, setup, make):
    tenant, admin_client, _consultant, _consultant_client = setup
    _grant(admin_client)
    settings = f"/consultant/tenants/{tenant.id}/settings"
    for user in (make.user(staff_role="support"), make.user(staff_role="operator"), make.user(tenant=tenant)):
        other = _client(app, user)
        assert other.get(settings).status_code == 403 and other.get("/consultant/tenants").status_code == 403
    assert admin_client.get(settings).status_code == 403
    assert _client(app).get(settings).status_code == 302, "anonymous: to the sign-in page"


def test_grant_needs_csrf(setup, db_session):
    tenant, admin_client, _consultant, _consultant_client = setup
    response = admin_client.post("/settings/consultants", data={"email": "gergo@bizalom.example", "days": 7})
    assert response.status_code == 400
    assert db_session.scalars(select(ConsultantGrant).where(ConsultantGrant.tenant_id == tenant.id)).all() == []
