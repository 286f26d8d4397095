"""Sub-processor registry (B5): seed, public page, staff CRUD with history, the "notice needs update" flag."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp.notices import services as notices
from webapp.site.seed import seed_all
from webapp.subprocessors import services
from webapp.subprocessors.models import Subprocessor, SubprocessorChange
from webapp.subprocessors.seed_data import SUBPROCESSORS

NEW = {"name": "Example Mail GmbH", "address": "Musterstraße 1, 1010 Wien", "phone": "+43 1 234",
       "email": "DPO@example.org", "web": "https://example.org/", "data_stored_en": "E-mail addresses",
       "data_stored_de": "E-Mail-Adressen", "data_stored_hu": "E-mail-címek", "activities_en": "Newsletter delivery",
       "activities_de": "Newsletterversand", "activities_hu": "Hírlevélküldés", "position": "20"}


@pytest.fixture()
def officer(make, login):
    user = make.user(staff_role="privacy_officer", name="Olga Officer")
    login(user)
    return user


@pytest.fixture()
def published(db_session):
    seed_all()
    db_session.flush()
    return notices.current_version()


def test_registry_is_seeded_with_the_policy_processors(app, db_session):
    names = {s.name for s in services.listing()}
    assert names == {entry["name"] for entry in SUBPROCESSORS}
    assert "Apple Inc." in names and "Opennetworks Kft." in names
    assert [s.name for s in services.listing() if s.third_country] == ["Apple Inc."]
    assert seed_all()["subprocessors"] == 0  # idempotent


def test_public_page_lists_them_for_anonymous_visitors(app, db_session):
    page = app.test_client().get("/subprocessors")
    assert page.status_code == 200
    for entry in SUBPROCESSORS:
        assert entry["name"].replace("&", "&amp;") in page.text
    assert "1097 Budapest, Könyves Kálmán körút 36." in page.text
    assert "support@arenimtel.com" in page.text
    hungarian = app.test_client().get("/subprocessors", headers={"Accept-Language": "hu"})
    assert "Hívásirányítás" in hungarian.text and "Call routing" not in hungarian.text
    english = app.test_client().get("/subprocessors", headers={"Accept-Language": "en"})
    assert "Call routing" in english.text
    fragment = app.test_client().get("/subprocessors", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="subprocessors"' in fragment.text


def _form(client, url):
    return csrf_from(client.get(url).text)


def test_create_update_delete_keep_a_history_and_raise_the_flag(client, db_session, officer, published):
    assert services.notice_needs_update() is False
    token = _form(client, "/staff/subprocessors/new")
    created = client.post("/staff/subprocessors/new", data={**NEW, "csrf_token": token})
    assert created.status_code == 303
    item = db_session.scalars(select(Subprocessor).where(Subprocessor.name == NEW["name"])).one()
    assert item.email == "dpo@example.org" and item.position == 20 and item.third_country is False
    assert services.notice_needs_update() is True
    index = client.get("/staff/notices")
    assert 'id="notice-needs-update"' in index.text

    item_id = item.id
    edit_url = f"/staff/subprocessors/{item_id}/edit"
    updated = client.post(edit_url, data={**NEW, "third_country": "y", "activities_en": "Newsletters and surveys",
                                          "csrf_token": _form(client, edit_url)})
    assert updated.status_code == 303
    db_session.expire_all()
    assert db_session.get(Subprocessor, item_id).third_country is True

    deleted = client.post(f"/staff/subprocessors/{item_id}/delete",
                          data={"csrf_token": _form(client, "/staff/subprocessors")})
    assert deleted.status_code == 303
    db_session.expire_all()
    assert db_session.get(Subprocessor, item_id) is None

    changes = db_session.scalars(select(SubprocessorChange).order_by(SubprocessorChange.id)).all()
    assert [c.action for c in changes] == ["create", "update", "delete"]
    assert all(c.changed_by_id == officer.id and c.subprocessor_name == NEW["name"] for c in changes)
    assert changes[1].before == {"activities_en": "Newsletter delivery", "third_country": False}
    assert changes[1].after == {"activities_en": "Newsletters and surveys", "third_country": True}
    assert changes[2].before["name"] == NEW["name"] and changes[2].after is None
    history = client.get("/staff/subprocessors")
    assert "Newsletters and surveys" in history.text and "Olga Officer" in history.text


def test_publishing_a_new_notice_clears_the_flag(client, db_session, officer, published):
    services.update(services.listing()[0], {"phone": "+36 1 400 0000"}, officer)
    assert services.notice_needs_update() is True
    draft = notices.create_draft(officer)
    notices.publish(draft, officer)
    db_session.flush()
    assert services.notice_needs_update() is False
    assert 'id="notice-needs-update"' not in client.get("/staff/notices").text


def test_saving_without_changes_records_nothing(db_session, published):
    first = services.listing()[0]
    assert services.update(first, first.snapshot(), None) is False
    assert db_session.scalar(select(func.count(SubprocessorChange.id))) == 0
    assert services.notice_needs_update() is False


@pytest.mark.parametrize(("field", "value"), [("name", ""), ("email", "not-an-address"),
                                              ("web", "javascript:alert(1)"), ("name", "a\nb"),
                                              ("name", "Apple Inc."), ("position", "-3")])
def test_bad_input_is_refused_with_422_and_nothing_written(client, db_session, officer, field, value):
    before = db_session.scalar(select(func.count(Subprocessor.id)))
    response = client.post("/staff/subprocessors/new", data={**NEW, field: value,
                                                             "csrf_token": _form(client, "/staff/subprocessors/new")})
    assert response.status_code == 422
    assert 'class="errors"' in response.text
    assert db_session.scalar(select(func.count(Subprocessor.id))) == before
    assert db_session.scalar(select(func.count(SubprocessorChange.id))) == 0


def test_staff_form_fragment_with_and_without_htmx(client, officer):
    full = client.get("/staff/subprocessors/new")
    assert "<html" in full.text and 'id="subprocessor-form"' in full.text
    fragment = client.get("/staff/subprocessors/new", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="subprocessor-form"' in fragment.text
    assert client.get("/staff/subprocessors/999999/edit").status_code == 404


@pytest.mark.parametrize("role", ["operator", "support", "sales"])
def test_only_privacy_officers_manage_the_registry(app, make, db_session, role):
    other = app.test_client()
    user = make.user(staff_role=role)
    other.post("/login", data={"email": user.email, "password": make.PASSWORD,
                               "csrf_token": csrf_from(other.get("/login").text)})
    token = csrf_from(other.get("/").text)
    assert other.get("/staff/subprocessors").status_code == 403
    response = other.post("/staff/subprocessors/new", data={**NEW, "csrf_token": token})
    assert response.status_code == 403
    assert db_session.scalar(select(func.count(SubprocessorChange.id))) == 0
