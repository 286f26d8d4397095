"""Segments: hand-built filters in SQL, contact stop always excluded, count preview, campaigns to a segment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp import clock
from webapp.leads import services as leads
from webapp.messaging.models import OutboxEmail
from webapp.newsletter import campaigns
from webapp.newsletter.models import Campaign, NewsletterSubscription
from webapp.profiles import services as profiles
from webapp.segments import filters, services
from webapp.segments.models import CampaignSegment, Segment

HTMX = {"HX-Request": "true"}
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _lead(db_session, email, source="newsletter", subscribed=None, stopped=False, when=NOW, **profile):
    with time_machine.travel(when, tick=False):
        lead = leads.upsert(email, email.split("@")[0].title(), source)
        if profile:
            profiles.update(lead, profile, None)
        if subscribed:
            confirmed = clock.now() if subscribed == "confirmed" else None
            db_session.add(NewsletterSubscription(lead_id=lead.id, state=subscribed, confirmed_at=confirmed,
                                                  unsubscribed_at=clock.now() if subscribed == "unsubscribed"
                                                  else None))
        if stopped:
            leads.stop_contact(lead)
    db_session.flush()
    return lead


def _ids(db_session, raw):
    return set(db_session.scalars(filters.lead_ids(raw)))


@pytest.fixture()
def people(db_session):
    made = {
        "anna": _lead(db_session, "anna@example.com", subscribed="confirmed", interest_area="sales_pipeline",
                      company_type="small", industry="Bakery", decision_role="decision_maker"),
        "bela": _lead(db_session, "bela@example.com", source="workshop", interest_area="sales_pipeline",
                      company_type="large", when=NOW - timedelta(days=40)),
        "cili": _lead(db_session, "cili@example.com", subscribed="confirmed", interest_area="support",
                      company_type="small", industry="bakery"),
        "dora": _lead(db_session, "dora@example.com", subscribed="confirmed", interest_area="sales_pipeline",
                      company_type="small", stopped=True),
        "ede": _lead(db_session, "ede@example.com", subscribed="unsubscribed", interest_area="sales_pipeline"),
    }
    db_session.commit()
    return {name: lead.id for name, lead in made.items()}


def test_filters_select_in_sql_and_a_contact_stop_always_excludes(db_session, people):
    p = people
    assert _ids(db_session, {}) == {p["anna"], p["bela"], p["cili"], p["ede"]}  # never dora
    assert _ids(db_session, {"interest_area": "sales_pipeline"}) == {p["anna"], p["bela"], p["ede"]}
    assert _ids(db_session, {"interest_area": "sales_pipeline", "company_type": "small"}) == {p["anna"]}
    assert _ids(db_session, {"industry": "BAKERY"}) == {p["anna"], p["cili"]}
    assert _ids(db_session, {"source": "workshop"}) == {p["bela"]}
    assert _ids(db_session, {"newsletter_state": "none"}) == {p["bela"]}
    assert _ids(db_session, {"newsletter_state": "unsubscribed"}) == {p["ede"]}
    assert _ids(db_session, {"decision_role": "decision_maker"}) == {p["anna"]}
    assert _ids(db_session, {"interaction_to": (NOW - timedelta(days=30)).date().isoformat()}) == {p["bela"]}
    assert _ids(db_session, {"interaction_from": NOW.date().isoformat(),
                             "interaction_to": NOW.date().isoformat()}) == {p["anna"], p["cili"], p["ede"]}
    assert filters.count({"interest_area": "sales_pipeline", "company_type": "small"}) == 1


def test_the_exclusion_hook_leaves_out_more_people(db_session, people):
    from webapp.leads.models import Lead

    def restricted():
        return Lead.email == "anna@example.com"

    filters.exclude(restricted)
    try:
        assert people["anna"] not in _ids(db_session, {})
    finally:
        filters.EXCLUSIONS.remove(restricted)
    assert people["anna"] in _ids(db_session, {})


@pytest.mark.parametrize("raw", [{"colour": "red"}, {"interest_area": "everything"}, {"source": 1},
                                 {"interaction_from": "yesterday"}, {"industry": "a\nb"}, {"industry": "x" * 101},
                                 {"interaction_from": "2026-02-01", "interaction_to": "2026-01-01"}, ["x"]])
def test_filters_outside_the_closed_set_are_refused(raw, db_session):
    with pytest.raises(filters.InvalidFilter):
        services.save("Bad", raw, None)
    assert db_session.scalar(select(func.count()).select_from(Segment)) == 0


def test_count_preview_with_htmx_and_without_js(client, login, make, people):
    login(make.user(staff_role="sales"))
    fragment = client.get("/staff/segments/count?interest_area=sales_pipeline&company_type=small", headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "1 lead matches." in html and "<html" not in html
    assert fragment.headers["Vary"] == "HX-Request" or "HX-Request" in fragment.headers["Vary"]
    page = client.get("/staff/segments?interest_area=sales_pipeline&name=")  # the no-JS "count" submit
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "3 leads match." in text and "<html" in text
    bad = client.get("/staff/segments/count?interest_area=everything", headers=HTMX)
    assert bad.status_code == 422 and "Please correct the filter." in bad.get_data(as_text=True)


def test_staff_save_a_segment_and_bad_input_stores_nothing(client, login, make, db_session, people):
    login(make.user(staff_role="operator"))
    token = csrf_from(client.get("/staff/segments").get_data(as_text=True))
    response = client.post("/staff/segments", data={"name": "Small bakeries", "industry": "bakery",
                                                    "company_type": "small", "csrf_token": token})
    assert response.status_code == 303
    segment = db_session.scalars(select(Segment)).one()
    assert segment.filters == {"industry": "bakery", "company_type": "small"}
    listing = client.get("/staff/segments").get_data(as_text=True)
    assert "Small bakeries" in listing
    for data in ({"name": "Small bakeries"}, {"name": "", "source": "trial"}, {"name": "X", "source": "fax"},
                 {"name": "Y", "interaction_from": "2026-13-01"}):
        bad = client.post("/staff/segments", data={**data, "csrf_token": token})
        assert bad.status_code == 422, data
    assert "exists already" in client.post("/staff/segments", data={"name": "Small bakeries", "csrf_token": token}
                                           ).get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Segment)) == 1


def test_a_campaign_to_a_segment_reaches_only_subscribers_in_it(app, client, login, make, db_session, people,
                                                                 run_jobs):
    segment = services.save("Pipeline", {"interest_area": "sales_pipeline"}, None)
    db_session.commit()
    login(make.user(staff_role="sales"))
    page = client.get("/staff/newsletter").get_data(as_text=True)
    assert "Pipeline" in page
    response = client.post("/staff/newsletter", data={"subject": "Pipelines", "body": "Hello",
                                                      "audience": str(segment.id), "csrf_token": csrf_from(page)})
    assert response.status_code == 303
    campaign = db_session.scalars(select(Campaign)).one()
    assert db_session.get(CampaignSegment, campaign.id).segment_id == segment.id
    run_jobs()
    assert "Segment: Pipeline" in client.get("/staff/newsletter").get_data(as_text=True)
    db_session.expire_all()
    # anna: subscribed and in the segment; bela: no subscription; dora: stopped; ede: unsubscribed; cili: not in it
    assert db_session.scalars(select(OutboxEmail.to_address)).all() == ["anna@example.com"]


def test_the_segment_is_read_at_send_time(db_session, people):
    segment = services.save("Pipeline", {"interest_area": "sales_pipeline"}, None)
    campaign = campaigns.create("S", "B", "http://localhost", None, segment)
    leads.stop_contact(leads.find_by_email("anna@example.com"))
    db_session.commit()
    assert campaigns.send(campaign) == 0
    all_subscribers = campaigns.create("S2", "B", "http://localhost", None)
    assert campaigns.send(all_subscribers) == 1  # cili only


def test_the_campaign_form_refuses_an_unknown_segment(client, login, make, db_session):
    login(make.user(staff_role="sales"))
    token = csrf_from(client.get("/staff/newsletter").get_data(as_text=True))
    response = client.post("/staff/newsletter", data={"subject": "S", "body": "B", "audience": "999",
                                                      "csrf_token": token})
    assert response.status_code == 422
    assert db_session.scalar(select(func.count()).select_from(Campaign)) == 0


FIELD_VALUES = st.one_of(st.sampled_from(["", "small", "sales_pipeline", "trial", "none", "2026-01-01", "x"]),
                         st.text(max_size=120))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(["name", *filters.KEYS, "other"]), FIELD_VALUES, max_size=8))
def test_fuzz_segment_form_never_500_and_bad_input_stores_nothing(client, login, make, db_session, data):
    if not getattr(client, "_fuzz_login", False):
        login(make.user(staff_role="sales"))
        client._fuzz_login = True
    before = db_session.scalar(select(func.count()).select_from(Segment))
    token = csrf_from(client.get("/staff/segments").get_data(as_text=True))
    assert client.get("/staff/segments/count", query_string=data, headers=HTMX).status_code in (200, 422)
    assert client.get("/staff/segments", query_string=data).status_code in (200, 422)
    response = client.post("/staff/segments", data={**data, "csrf_token": token})
    assert response.status_code in (303, 422)
    after = db_session.scalar(select(func.count()).select_from(Segment))
    assert after == before + (1 if response.status_code == 303 else 0)


def test_the_count_page_without_htmx_links_back_with_the_filter(client, login, make, people):
    login(make.user(staff_role="sales"))
    page = client.get("/staff/segments/count?company_type=small&_external=1&_scheme=ftp")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and "2 leads match." in html
    assert 'href="/staff/segments?company_type=small"' in html
