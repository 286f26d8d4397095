"""Records of processing as data: the policy's seed, versioned edits, the service API, the staff pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from webapp.processing import catalogue, services
from webapp.processing.models import ProcessingActivity, ProcessingVersion
from webapp.retention import registry

HX = {"HX-Request": "true"}


def test_every_category_belongs_to_exactly_one_seeded_activity(db_session):
    seen = [c for item in services.activities() for c in item.categories]
    assert sorted(seen) == sorted(catalogue.CATEGORIES)
    assert {item.key for item in services.activities()} >= {s.key for s in catalogue.SEED}


def test_every_retention_target_references_an_activity_whose_clock_it_can_measure(db_session):
    for target in registry.targets():
        rule = services.retention_for(target.category)
        assert services.activity(rule.activity_key) is not None, target.name
        assert rule.clock in target.clocks, f"{target.name} cannot measure {rule.clock}"


@pytest.mark.parametrize(("category", "clock", "period", "unit", "basis"), [
    ("newsletter_subscriber", "last_interaction", 365, "days", "consent"),
    ("workshop_registrant", "last_interaction", 365, "days", "legitimate_interest"),
    ("trial_contact", "last_contact", 365, "days", "legitimate_interest"),
    ("trial_tenant_data", "trial_closed_at", 90, "days", "contract"),
    ("subscriber_contact", "last_contact", 3, "years", "contract"),
    ("invoice_data", "last_invoice", 10, "years", "legal_obligation"),
    ("analytics_page_views", "created_at", 90, "days", "consent"),
    ("security_log_detailed", "created_at", 90, "days", "legitimate_interest"),
    ("security_log_events", "created_at", 365, "days", "legitimate_interest"),
])
def test_the_seed_keeps_the_policys_periods(db_session, category, clock, period, unit, basis):
    rule = services.retention_for(category)
    assert (rule.clock, rule.period, rule.unit) == (clock, period, unit)
    assert services.describe(category)["legal_basis"] == basis


def test_describe_gives_purpose_basis_retention_and_recipients(db_session):
    described = services.describe("sms_content", locale="de")
    assert described["purpose"] == "SMS-Versand"
    assert described["legal_basis_article"] == "6(1)(b)"
    assert described["retention"] == {"clock": "created_at", "period": 30, "unit": "days"}
    assert "Opennetworks Kft." in described["recipients"]
    with pytest.raises(services.UnknownCategory):
        services.describe("shoe_sizes")


def test_seeding_again_adds_nothing(db_session):
    assert services.seed() == 0


def test_an_edit_is_a_new_version_with_before_and_after(db_session, make):
    officer = make.user(staff_role="privacy_officer")
    item = services.activity("newsletter")
    version = services.update(item, {"period": 180, "recipients": ["Mailer GmbH"]}, officer.id, "shorter")
    assert (item.version, version.version, version.changed_by_id) == (2, 2, officer.id)
    assert version.before["period"] == 365 and version.after["period"] == 180
    assert {name for name, _b, _a in services.diff(version)} == {"period", "recipients"}
    assert services.retention_for("newsletter_subscriber").period == 180
    assert [v.version for v in services.history(item)] == [2, 1]
    assert services.update(item, {"period": 180}, officer.id) is None, "no change, no version"


@pytest.mark.parametrize(("period", "unit", "ok"), [(10, "years", True), (15, "years", True), (9, "years", False),
                                                   (16, "years", False), (3650, "days", True), (100, "days", False)])
def test_invoice_retention_stays_between_ten_and_fifteen_years(db_session, period, unit, ok):
    item = services.activity("invoicing")
    if ok:
        assert services.update(item, {"period": period, "unit": unit}, None) is not None or period == 10
    else:
        with pytest.raises(services.InvalidChange):
            services.update(item, {"period": period, "unit": unit}, None)


def test_a_category_cannot_belong_to_two_activities(db_session):
    with pytest.raises(services.InvalidChange):
        services.update(services.activity("workshop"), {"categories": ["workshop_registrant", "sms_content"]}, None)


@pytest.mark.parametrize(("moment", "period", "unit", "expected"), [
    (datetime(2026, 3, 31, tzinfo=UTC), 1, "months", datetime(2026, 2, 28, tzinfo=UTC)),
    (datetime(2028, 2, 29, tzinfo=UTC), 1, "years", datetime(2027, 2, 28, tzinfo=UTC)),
    (datetime(2026, 11, 25, tzinfo=UTC), 3, "years", datetime(2023, 11, 25, tzinfo=UTC)),
    (datetime(2026, 11, 25, tzinfo=UTC), 90, "days", datetime(2026, 8, 27, tzinfo=UTC)),
])
def test_cutoffs_count_calendar_months_and_years(moment, period, unit, expected):
    assert services.subtract(moment, period, unit) == expected


# --- staff pages ---

@pytest.fixture()
def officer(make, login):
    user = make.user(staff_role="privacy_officer")
    login(user)
    return user


def _form(item: ProcessingActivity, **changes) -> dict:
    data = {"title_en": item.title_en, "title_de": item.title_de, "title_hu": item.title_hu,
            "description": item.description, "categories": item.categories, "legal_basis": item.legal_basis,
            "recipients": "\n".join(item.recipients), "transfers": "\n".join(item.transfers), "clock": item.clock,
            "period": str(item.period), "unit": item.unit, "note": "review", "active": "y" if item.active else ""}
    return data | changes


def test_the_list_page_and_its_fragment(client, officer):
    page = client.get("/privacy/processing/")
    fragment = client.get("/privacy/processing/", headers=HX)
    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.get_data(as_text=True) and "Newsletter" in page.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True) and 'id="processing-index"' in fragment.get_data(as_text=True)
    assert "HX-Request" in page.headers["Vary"]


def test_editing_through_the_page_writes_a_version_shown_in_the_history(client, officer, csrf, db_session):
    item = services.activity("workshop")
    response = client.post("/privacy/processing/workshop/edit",
                           data=_form(item, period="200", csrf_token=csrf("/privacy/processing/workshop/edit")))
    assert response.status_code == 303
    db_session.expire_all()
    assert (item.period, item.version) == (200, 2)
    versions = db_session.scalars(select(ProcessingVersion).where(ProcessingVersion.activity_id == item.id)).all()
    assert {v.version for v in versions} == {1, 2}
    show = client.get("/privacy/processing/workshop").get_data(as_text=True)
    assert "review" in show and "/privacy/processing/workshop/versions/2" in show
    diff = client.get("/privacy/processing/workshop/versions/2", headers=HX)
    text = diff.get_data(as_text=True)
    assert diff.status_code == 200 and "<html" not in text and "<del>365</del>" in text and "<ins>200</ins>" in text
    assert "<html" in client.get("/privacy/processing/workshop/versions/2").get_data(as_text=True)


def test_a_bad_edit_is_refused_with_422_and_writes_nothing(client, officer, csrf, db_session):
    item = services.activity("invoicing")
    token = csrf("/privacy/processing/invoicing/edit")
    for data in (_form(item, period="5", csrf_token=token), _form(item, period="0", csrf_token=token),
                 _form(item, legal_basis="whim", csrf_token=token), _form(item, note="", csrf_token=token)):
        response = client.post("/privacy/processing/invoicing/edit", data=data)
        assert response.status_code == 422
    db_session.expire_all()
    assert (item.period, item.version) == (10, 1)
    assert "outside what the law allows" in client.post(
        "/privacy/processing/invoicing/edit", data=_form(item, period="5", csrf_token=token)).get_data(as_text=True)


def test_the_edit_form_fragment(client, officer):
    assert 'id="processing-edit"' in client.get("/privacy/processing/trash/edit", headers=HX).get_data(as_text=True)
    assert client.get("/privacy/processing/no-such-thing").status_code == 404


@pytest.mark.parametrize("role", ["support", "operator", "sales"])
def test_other_staff_cannot_see_or_edit(client, make, login, csrf, role, db_session):
    login(make.user(staff_role=role))
    assert client.get("/privacy/processing/").status_code == 403
    item = services.activity("newsletter")
    token = csrf("/login")
    assert client.post("/privacy/processing/newsletter/edit", data=_form(item, period="1", csrf_token=token)
                       ).status_code == 403
    db_session.expire_all()
    assert item.period == 365
