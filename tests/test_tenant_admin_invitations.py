"""Invitations: a single-use, 7-day link by e-mail; the invitee chooses a password under the policy."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests.conftest import csrf_from
from webapp.accounts import passwords
from webapp.accounts.models import User
from webapp.messaging.models import OutboxEmail
from webapp.tenant_admin.models import Invitation

PASSWORD = "Balaton-heron-lantern-64"
LINK = re.compile(r"http://[^/]+(/invite/\S+)")


def _mails(db_session, to):
    return db_session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == to).order_by(OutboxEmail.id)).all()


def _link(db_session, to) -> str:
    return LINK.search(_mails(db_session, to)[-1].text_body).group(1)


@pytest.fixture()
def admin(make):
    return make.user(tenant=make.tenant(name="Tisza Trade Kft."), role="admin", name="Ada Admin")


@pytest.fixture()
def invite(client, login, admin):
    login(admin)

    def _invite(email="new.person@example.com", name="Nora New", role="user"):
        token = csrf_from(client.get("/settings/users/invite").get_data(as_text=True))
        return client.post("/settings/users/invite", data={"email": email, "name": name, "role": role,
                                                            "csrf_token": token})

    return _invite


def _accept(test_client, link, password=PASSWORD, name="Nora New"):
    token = csrf_from(test_client.get(link).get_data(as_text=True))
    return test_client.post(link, data={"name": name, "password": password, "confirm": password,
                                        "csrf_token": token})


def _anonymous(app):
    test_client = app.test_client()
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client


def test_invitation_happy_path(app, invite, admin, db_session):
    response = invite(email="New.Person@Example.com", role="admin")
    assert response.status_code == 303 and response.headers["Location"] == "/settings/users"
    mail = _mails(db_session, "new.person@example.com")[-1]
    assert "Tisza Trade Kft." in mail.subject and "Ada Admin" in mail.text_body
    link = _link(db_session, "new.person@example.com")
    row = db_session.scalar(select(Invitation).where(Invitation.email == "new.person@example.com"))
    assert row.token_hash != link.rsplit("/", 1)[1], "only the hash is stored"
    invitee = _anonymous(app)
    page = invitee.get(link).get_data(as_text=True)
    assert "Join Tisza Trade Kft." in page and 'value="Nora New"' in page
    assert _accept(invitee, link).status_code == 303
    user = db_session.scalar(select(User).where(User.email == "new.person@example.com"))
    assert (user.tenant_id, user.role, user.name) == (admin.tenant_id, "admin", "Nora New")
    assert passwords.verify_password(user.password_hash, PASSWORD)
    token = csrf_from(invitee.get("/login").get_data(as_text=True))
    assert invitee.post("/login", data={"email": user.email, "password": PASSWORD,
                                        "csrf_token": token}).status_code == 303
    assert invitee.get("/contacts").status_code == 200


def test_the_link_works_only_once(app, invite, db_session):
    invite()
    link = _link(db_session, "new.person@example.com")
    assert _accept(_anonymous(app), link).status_code == 303
    reused = _anonymous(app)
    assert reused.get(link).status_code == 410
    assert "already used" in reused.get(link).get_data(as_text=True)
    response = reused.post(link, data={"name": "X", "password": PASSWORD, "confirm": PASSWORD,
                                       "csrf_token": csrf_from(reused.get("/login").get_data(as_text=True))})
    assert response.status_code == 410
    assert len(db_session.scalars(select(User).where(User.email == "new.person@example.com")).all()) == 1


def test_the_link_expires_after_seven_days(app, invite, db_session):
    invite()
    link = _link(db_session, "new.person@example.com")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=7, minutes=1)):
        assert _anonymous(app).get(link).status_code == 410
    with time_machine.travel(datetime.now(UTC) + timedelta(days=6, hours=23)):
        assert _anonymous(app).get(link).status_code == 200


def test_forged_links_are_not_found(app, invite, db_session):
    invite()
    link = _link(db_session, "new.person@example.com")
    anonymous = _anonymous(app)
    forged = anonymous.get(link[:-3] + "xyz")
    assert forged.status_code == 404 and "do not know this invitation" in forged.get_data(as_text=True)
    assert anonymous.get("/invite/" + "a" * 200).status_code == 404


def test_a_withdrawn_or_replaced_invitation_stops_working(app, client, invite, db_session):
    invite()
    first = _link(db_session, "new.person@example.com")
    invite()
    second = _link(db_session, "new.person@example.com")
    assert _anonymous(app).get(first).status_code == 410, "a new invitation replaces the old one"
    row = db_session.scalar(select(Invitation).where(Invitation.email == "new.person@example.com",
                                                     Invitation.revoked_at.is_(None)))
    token = csrf_from(client.get("/settings/users").get_data(as_text=True))
    assert client.post(f"/settings/invitations/{row.id}/withdraw",
                       data={"csrf_token": token}).status_code == 303
    assert _anonymous(app).get(second).status_code == 410
    assert "new.person@example.com" not in client.get("/settings/users").get_data(as_text=True)


def test_weak_passwords_are_refused_and_the_link_survives(app, invite, db_session):
    invite(name="Zsófia Várkonyi", email="zsofia@example.com")
    link = _link(db_session, "zsofia@example.com")
    anonymous = _anonymous(app)
    response = _accept(anonymous, link, password="zsofiavarkonyi1", name="Zsófia Várkonyi")
    assert response.status_code == 422
    assert db_session.scalar(select(User).where(User.email == "zsofia@example.com")) is None
    assert anonymous.get(link).status_code == 200


def test_an_address_already_in_the_tenant_is_refused_clearly(invite, make, admin, db_session):
    colleague = make.user(tenant=admin.tenant)
    response = invite(email=colleague.email)
    assert response.status_code == 422 and "already has an account in your organisation" in response.get_data(
        as_text=True)
    assert _mails(db_session, colleague.email) == []


def test_an_address_with_an_account_elsewhere_is_not_revealed(app, invite, make, db_session):
    elsewhere = make.user(tenant=make.tenant())
    known, unknown = invite(email=elsewhere.email), invite(email="nobody.yet@example.com")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    notice = _mails(db_session, elsewhere.email)[-1].text_body
    assert LINK.search(notice) is None and "already belongs to a Bizalom account" in notice
    assert len(db_session.scalars(select(User).where(User.email == elsewhere.email)).all()) == 1


def test_an_account_created_meanwhile_gets_no_duplicate(app, invite, make, db_session):
    invite()
    link = _link(db_session, "new.person@example.com")
    make.user(tenant=make.tenant(), email="new.person@example.com")
    response = _accept(_anonymous(app), link)
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert len(db_session.scalars(select(User).where(User.email == "new.person@example.com")).all()) == 1


def test_invitation_is_logged_without_the_address(app, invite, admin, db_session, events):
    invite(email="secret.person@example.com")
    invited = events("user_invited")
    assert [e.user_id for e in invited] == [admin.id] and "secret.person" not in invited[0].detail
    _accept(_anonymous(app), _link(db_session, "secret.person@example.com"))
    user = db_session.scalar(select(User).where(User.email == "secret.person@example.com"))
    assert [(e.user_id, e.tenant_id) for e in events("invitation_accepted")] == [(user.id, admin.tenant_id)]


def test_invitations_need_csrf_and_a_tenant_admin(app, client, invite, admin, make, db_session):
    refused = client.post("/settings/users/invite", data={"email": "x@example.com", "name": "X", "role": "user"})
    assert refused.status_code == 400 and _mails(db_session, "x@example.com") == []
    invite()
    row = db_session.scalar(select(Invitation).where(Invitation.email == "new.person@example.com"))
    stranger = _anonymous(app)
    stranger_admin = make.user(tenant=make.tenant(), role="admin")
    stranger.post("/login", data={"email": stranger_admin.email, "password": make.PASSWORD,
                                  "csrf_token": csrf_from(stranger.get("/login").get_data(as_text=True))})
    token = csrf_from(stranger.get("/settings/users").get_data(as_text=True))
    assert "new.person@example.com" not in stranger.get("/settings/users").get_data(as_text=True)
    assert stranger.post(f"/settings/invitations/{row.id}/withdraw", data={"csrf_token": token}).status_code == 404
    member = _anonymous(app)
    colleague = make.user(tenant=admin.tenant)
    member.post("/login", data={"email": colleague.email, "password": make.PASSWORD,
                                "csrf_token": csrf_from(member.get("/login").get_data(as_text=True))})
    assert member.get("/settings/users/invite").status_code == 403
