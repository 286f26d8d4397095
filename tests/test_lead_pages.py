"""The staff's lead list (active search, keyset paging) and the lead record with its marketing profile."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import csrf_from
from webapp import clock
from webapp.leads import services as leads
from webapp.legalbasis import services as ledger
from webapp.newsletter.models import NewsletterSubscription
from webapp.profiles import services as profiles
from webapp.profiles.models import LeadProfile

HTMX = {"HX-Request": "true"}


def _many(db_session, n):
    made = [leads.upsert(f"person{i:03d}@example.com", f"Person {i:03d}", "trial") for i in range(n)]
    db_session.commit()
    return made


def test_list_pages_by_keyset_newest_first(client, login, make, db_session):
    made = _many(db_session, profiles.PAGE_SIZE + 5)
    login(make.user(staff_role="sales"))
    first = client.get("/staff/leads").get_data(as_text=True)
    assert "Person 054" in first and "Person 004" not in first
    assert f"after={made[5].id}" in first
    second = client.get(f"/staff/leads?after={made[5].id}", headers=HTMX)
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and html.lstrip().startswith('<div id="lead-results">')
    assert [f"Person {i:03d}" in html for i in (4, 0, 5)] == [True, True, False]
    assert "Next page" not in html


def test_search_by_name_or_address_as_fragment_and_page(client, login, make, db_session):
    leads.upsert("anna@example.com", "Anna Kovács", "newsletter")
    leads.upsert("bela@firma.hu", "Béla Szabó", "workshop")
    leads.upsert("percent@example.com", "100% Sure", "trial")
    db_session.commit()
    login(make.user(staff_role="consultant"))
    fragment = client.get("/staff/leads?q=kov", headers=HTMX).get_data(as_text=True)
    assert "Anna Kovács" in fragment and "Béla" not in fragment and "<html" not in fragment
    page = client.get("/staff/leads?q=FIRMA.HU")
    text = page.get_data(as_text=True)
    assert "Béla Szabó" in text and "Anna" not in text and "<html" in text
    assert 'hx-trigger="keyup changed delay:200ms' in text
    assert "HX-Request" in page.headers["Vary"]
    literal = client.get("/staff/leads?q=%25", headers=HTMX).get_data(as_text=True)  # % is not a wildcard
    assert "100% Sure" in literal and "Anna" not in literal


def test_record_shows_the_person_and_logs_the_view(client, login, make, db_session, events):
    lead = leads.upsert("anna@example.com", "Anna Kovács", "newsletter", phone="+36201234567")
    db_session.add(NewsletterSubscription(lead_id=lead.id, state="confirmed", confirmed_at=clock.now()))
    ledger.set_basis(lead.id, "newsletter", "consent", "double_opt_in")
    leads.stop_contact(lead)
    db_session.commit()
    staff = make.user(staff_role="sales")
    login(staff)
    page = client.get(f"/staff/leads/{lead.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    for expected in ("anna@example.com", "+36201234567", "Subscribed", "double_opt_in", "consent",
                     'id="contact-stopped"', "Marketing profile", "Log a call"):
        assert expected in html, expected
    fragment = client.get(f"/staff/leads/{lead.id}", headers=HTMX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="lead-record">')
    viewed = [json.loads(e.detail) for e in events("personal_data_viewed")]
    assert {"view": "leads.record", "lead_id": lead.id} in viewed
    assert all(e.get("lead_id") in (None, lead.id) for e in viewed)
    assert client.get("/staff/leads/999999").status_code == 404
    assert client.get("/staff/leads/99999999999999999999").status_code == 404  # beyond INTEGER: no 500
    assert client.get("/staff/leads?after=99999999999999999999").status_code == 200


def test_profile_is_saved_as_fragment_or_redirect(client, login, make, db_session):
    lead = leads.upsert("anna@example.com", "Anna Kovács", "newsletter")
    db_session.commit()
    touched = lead.last_interaction_at
    staff = make.user(staff_role="consultant")
    login(staff)
    token = csrf_from(client.get(f"/staff/leads/{lead.id}").get_data(as_text=True))
    data = {"problem": "Spreadsheets everywhere", "decision_criteria": "Price\nHosting in the EU",
            "interest_area": "sales_pipeline", "industry": "Bakery", "company_type": "small",
            "decision_role": "decision_maker", "position": "Owner", "csrf_token": token}
    fragment = client.post(f"/staff/leads/{lead.id}/profile", data=data, headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "was saved" in html
    assert html.lstrip().startswith('<section id="lead-profile">')
    profile = db_session.get(LeadProfile, lead.id)
    assert (profile.industry, profile.company_type, profile.updated_by_id) == ("Bakery", "small", staff.id)
    redirect = client.post(f"/staff/leads/{lead.id}/profile", data={**data, "industry": "", "csrf_token": token})
    assert redirect.status_code == 303 and redirect.headers["Location"].endswith(f"/staff/leads/{lead.id}")
    db_session.refresh(profile)
    assert profile.industry is None
    db_session.refresh(lead)
    assert lead.last_interaction_at == touched  # editing our notes is not the person's interaction


def test_bad_profile_input_is_explained_and_stores_nothing(client, login, make, db_session):
    lead = leads.upsert("anna@example.com", "Anna Kovács", "newsletter")
    db_session.commit()
    login(make.user(staff_role="sales"))
    token = csrf_from(client.get(f"/staff/leads/{lead.id}").get_data(as_text=True))
    for change, message in (({"interest_area": "everything"}, "Not a valid choice"),
                            ({"position": "Boss\r\nBcc: x"}, "Line breaks"),
                            ({"problem": "a\x00b"}, "Control characters"),
                            ({"industry": "x" * 101}, "100")):
        response = client.post(f"/staff/leads/{lead.id}/profile", data={**change, "csrf_token": token}, headers=HTMX)
        assert response.status_code == 422 and message in response.get_data(as_text=True), change
    assert db_session.scalars(select(LeadProfile)).all() == []


def test_profiles_are_personal_data_and_expire_with_the_lead(db_session):
    from datetime import timedelta

    from webapp.extensions import db
    from webapp.pii import pii_columns
    from webapp.retention import services as retention

    marked = {column for table, column, _kind in pii_columns(db.metadata) if table == "lead_profiles"}
    assert marked == {"problem", "decision_criteria", "industry", "position"}
    old, recent = (leads.upsert(f"{n}@example.com", n, "newsletter") for n in ("old", "recent"))
    old.last_interaction_at = clock.now() - timedelta(days=400)
    for lead in (old, recent):
        profiles.update(lead, {"industry": "Bakery"}, None)
    db_session.commit()
    report = retention.run(as_of=clock.now(), dry_run=True)
    line = {item.target: item for item in retention.items_of(report)}["lead_profiles"]
    assert line.error is None and line.candidates == 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(["problem", "decision_criteria", "interest_area", "industry",
                                             "company_type", "decision_role", "position", "other"]),
                            st.one_of(st.sampled_from(["", "small", "user", "other"]), st.text(max_size=120)),
                            max_size=8))
def test_fuzz_profile_form_never_500_and_bad_input_stores_nothing(client, login, make, db_session, data):
    lead = leads.find_by_email("fuzz@example.com") or leads.upsert("fuzz@example.com", "Fuzz", "trial")
    db_session.commit()
    if not getattr(client, "_fuzz_login", False):
        login(make.user(staff_role="sales"))
        client._fuzz_login = True
    before = db_session.get(LeadProfile, lead.id)
    before = before and before.updated_at
    token = csrf_from(client.get(f"/staff/leads/{lead.id}").get_data(as_text=True))
    response = client.post(f"/staff/leads/{lead.id}/profile", data={**data, "csrf_token": token}, headers=HTMX)
    assert response.status_code in (200, 422)
    db_session.expire_all()
    after = db_session.get(LeadProfile, lead.id)
    if response.status_code == 422:
        assert (after and after.updated_at) == before
    else:
        assert after is not None


def test_a_reply_logged_by_staff_counts_as_an_interaction(client, login, make, db_session):
    from datetime import timedelta

    from webapp.leads.models import Lead

    lead = Lead(name="Replying Person", email="reply@example.com", source="workshop",
                last_interaction_at=clock.now() - timedelta(days=300))
    db_session.add(lead)
    db_session.commit()
    login(make.user(staff_role="sales"))
    token = csrf_from(client.get(f"/staff/leads/{lead.id}").get_data(as_text=True))
    assert client.post(f"/staff/leads/{lead.id}/reply", data={"csrf_token": token}).status_code == 303
    db_session.refresh(lead)
    assert lead.last_interaction_at > clock.now() - timedelta(minutes=1)
