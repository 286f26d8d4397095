"""Marketing tags: rendered server-side only after marketing consent, never for customers or under GPC."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.consent.models import MarketingTagSettings

GOOGLE = "https://www.googletagmanager.com"
FACEBOOK = "https://connect.facebook.net"


@pytest.fixture()
def tags_on(db_session):
    settings = MarketingTagSettings(id=1, google_ads_enabled=True, google_ads_id="AW-123456789",
                                    google_ads_conversion_label="abcDEF_1", facebook_pixel_enabled=True,
                                    facebook_pixel_id="1234567890")
    db_session.add(settings)
    db_session.flush()
    return settings


def decide(client, csrf, action, **fields):
    return client.post("/consent", data={"action": action, "csrf_token": csrf("/"), **fields})


def tag_state(response) -> tuple[bool, bool, str]:
    html = response.get_data(as_text=True)
    return (f'src="{GOOGLE}/gtag/js?id=AW-123456789"' in html, f'src="{FACEBOOK}/en_US/fbevents.js"' in html,
            response.headers["Content-Security-Policy"])


def test_no_tag_and_no_third_party_origin_before_a_choice(client, tags_on):
    google, facebook, csp = tag_state(client.get("/"))
    assert not google and not facebook and GOOGLE not in csp and FACEBOOK not in csp


def test_tags_render_after_marketing_consent_with_csp_for_that_response_only(client, csrf, tags_on):
    decide(client, csrf, "accept_all")
    response = client.get("/")
    google, facebook, csp = tag_state(response)
    assert google and facebook
    script_src = next(part for part in csp.split("; ") if part.startswith("script-src"))
    assert script_src == f"script-src 'self' {GOOGLE} {FACEBOOK}"
    html = response.get_data(as_text=True)
    assert 'data-google-ads-id="AW-123456789"' in html and 'data-facebook-pixel-id="1234567890"' in html
    assert "<script>" not in html  # no inline code: settings travel in data attributes
    assert GOOGLE not in client.get("/healthz").headers["Content-Security-Policy"]


def test_rejecting_marketing_renders_no_tag(client, csrf, tags_on):
    decide(client, csrf, "choose", service="first_party_analytics")
    assert tag_state(client.get("/"))[:2] == (False, False)


def test_each_service_is_gated_on_its_own(client, csrf, tags_on):
    decide(client, csrf, "choose", service="facebook_pixel")
    assert tag_state(client.get("/"))[:2] == (False, True)


def test_gpc_request_renders_no_tag_even_after_consent(client, csrf, tags_on):
    decide(client, csrf, "accept_all")
    google, facebook, csp = tag_state(client.get("/", headers={"Sec-GPC": "1"}))
    assert not google and not facebook and GOOGLE not in csp


def test_disabled_or_unconfigured_tags_are_not_rendered(client, csrf, db_session, tags_on):
    decide(client, csrf, "accept_all")
    tags_on.google_ads_enabled = False
    tags_on.facebook_pixel_id = ""
    db_session.flush()
    assert tag_state(client.get("/"))[:2] == (False, False)


def test_signed_in_customers_get_no_pixel_and_keep_a_customer_marker(client, csrf, make, login, tags_on):
    decide(client, csrf, "accept_all")
    assert tag_state(client.get("/"))[:2] == (True, True)
    login(make.user())
    assert client.get_cookie("customer").value == "1"
    assert tag_state(client.get("/"))[:2] == (False, False)
    client.post("/logout", data={"csrf_token": csrf("/")})
    assert tag_state(client.get("/"))[:2] == (False, False)  # the marker outlives the session


def test_flagged_customer_gets_no_pixel(client, csrf, tags_on):
    decide(client, csrf, "accept_all")
    client.set_cookie("customer", "1")
    assert tag_state(client.get("/"))[:2] == (False, False)


def test_anonymous_visitors_get_no_customer_marker(client):
    client.get("/")
    assert client.get_cookie("customer") is None


def test_conversion_pages_report_the_conversion_label(app, client, csrf, tags_on):
    from flask import render_template

    from webapp.consent import services, tags

    decide(client, csrf, "accept_all")
    cookie = client.get_cookie("consent").value
    with app.test_request_context("/", headers={"Cookie": f"consent={cookie}"}):
        services.forget_state()
        tags.mark_conversion()
        html = render_template("consent/_tags.html")
    assert 'data-google-ads-conversion="abcDEF_1"' in html


def test_operator_configures_tags(client, csrf, db_session, make, login):
    login(make.user(staff_role="operator"))
    assert client.get("/staff/marketing-tags").status_code == 200
    token = csrf("/staff/marketing-tags")
    response = client.post("/staff/marketing-tags", data={
        "csrf_token": token, "google_ads_enabled": "y", "google_ads_id": "AW-987654321",
        "google_ads_conversion_label": "lbl", "facebook_pixel_id": "555555"})
    assert response.status_code == 303
    saved = db_session.scalars(select(MarketingTagSettings)).one()
    assert (saved.google_ads_enabled, saved.google_ads_id, saved.facebook_pixel_enabled) == \
        (True, "AW-987654321", False)


@pytest.mark.parametrize("fields", [
    {"google_ads_enabled": "y", "google_ads_id": "UA-1"},
    {"google_ads_enabled": "y"},
    {"facebook_pixel_enabled": "y", "facebook_pixel_id": "12ab"},
    {"google_ads_id": "AW-123456789\n<script>"},
    {"google_ads_conversion_label": "x" * 65},
])
def test_bad_tag_settings_are_refused_and_nothing_saved(client, csrf, db_session, make, login, fields):
    login(make.user(staff_role="operator"))
    token = csrf("/staff/marketing-tags")
    response = client.post("/staff/marketing-tags", data={"csrf_token": token, **fields},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422 and 'id="marketing-tags"' in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)
    assert db_session.scalars(select(MarketingTagSettings)).all() == []


@pytest.mark.parametrize("role", ["support", "privacy_officer", "sales"])
def test_only_operators_configure_tags(client, make, login, role):
    login(make.user(staff_role=role))
    assert client.get("/staff/marketing-tags").status_code == 403



def test_tag_form_partial_for_htmx_and_page_without(client, make, login):
    login(make.user(staff_role="operator"))
    fragment = client.get("/staff/marketing-tags", headers={"HX-Request": "true"}).get_data(as_text=True)
    page = client.get("/staff/marketing-tags").get_data(as_text=True)
    assert "<html" not in fragment and 'id="marketing-tags"' in fragment
    assert "<html" in page and 'id="marketing-tags"' in page
