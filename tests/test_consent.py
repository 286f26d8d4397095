"""Consent banner and evidence: every rule of B1 (and A3) with and without htmx."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from webapp.consent import catalogue
from webapp.consent.cookies import sign
from webapp.consent.models import ConsentDecision
from webapp.notices.models import NoticeVersion

ALL_SERVICES = sorted(s.key for s in catalogue.SERVICES if s.category != "necessary")


def decisions(db_session):
    return db_session.scalars(select(ConsentDecision).order_by(ConsentDecision.id)).all()


def decide(client, csrf, action, headers=None, **fields):
    data = {"action": action, "csrf_token": csrf("/"), "next": "/contacts?q=1", **fields}
    return client.post("/consent", data=data, headers=headers or {})


def publish(db_session, number, changed=()):
    version = NoticeVersion(number=number, state="published", published_at=datetime.now(UTC),
                            text_hash=f"{number:064x}", changed_categories=list(changed))
    db_session.add(version)
    db_session.flush()
    return version


def set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_banner_before_any_choice_offers_three_equal_choices_and_sets_nothing(client, db_session):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert 'id="consent-banner"' in html
    for label in ("Accept all", "Reject all", "Choose"):
        assert f'class="button consent-choice">{label}<' in html
    assert not [c for c in set_cookies(response) if not c.startswith("session=")]
    assert "googletagmanager" not in html and "facebook" not in response.headers["Content-Security-Policy"]
    assert client.get_cookie("consent") is None
    assert decisions(db_session) == []


def test_banner_lists_every_service_with_purpose_provider_cookies_and_lifetime(app, client):
    html = client.get("/").get_data(as_text=True)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        for service in catalogue.SERVICES:
            assert str(service.name) in html and service.provider in html and str(service.purpose) in html
            for cookie in service.cookies:
                assert f"<code>{cookie.name}</code> ({cookie.lifetime})" in html
    assert html.count('name="service"') == len(ALL_SERVICES)


@pytest.mark.parametrize("action, analytics, marketing", [("accept_all", True, True), ("reject_all", False, False)])
def test_accept_and_reject_are_stored_as_evidence_and_redirect_back(client, csrf, db_session, action, analytics,
                                                                    marketing):
    response = decide(client, csrf, action)
    assert response.status_code == 303 and response.headers["Location"] == "/contacts?q=1"
    [row] = decisions(db_session)
    assert row.categories == {"necessary": True, "analytics": analytics, "marketing": marketing}
    assert row.services == (ALL_SERVICES if action == "accept_all" else [])
    assert (row.method, row.action, row.gpc) == ("banner", action, False)
    assert row.expires_at - row.decided_at == timedelta(days=182)
    cookie = client.get_cookie("consent")
    assert cookie.value == sign(row.consent_id) and cookie.http_only
    assert 'id="consent-banner"' not in client.get("/").get_data(as_text=True)


def test_evidence_has_no_ip_or_user_agent_column(db_session):
    columns = {c["name"] for c in inspect(db_session.connection()).get_columns("consent_decisions")}
    assert not {name for name in columns if "ip" in name.split("_") or "agent" in name or "address" in name}


def test_choose_grants_only_the_chosen_services(client, csrf, db_session):
    decide(client, csrf, "choose", service=["first_party_analytics", "facebook_pixel"])
    [row] = decisions(db_session)
    assert row.categories == {"necessary": True, "analytics": True, "marketing": True}
    assert row.services == ["facebook_pixel", "first_party_analytics"]
    decide(client, csrf, "choose", category=["analytics"])
    assert decisions(db_session)[-1].categories["marketing"] is False
    assert decisions(db_session)[-1].consent_id == row.consent_id


def test_choose_with_nothing_ticked_refuses_everything(client, csrf, db_session):
    decide(client, csrf, "choose")
    assert decisions(db_session)[0].categories == {"necessary": True, "analytics": False, "marketing": False}


def test_htmx_decision_swaps_the_banner_for_a_confirmation(client, csrf, db_session):
    response = decide(client, csrf, "reject_all", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="consent-banner"' in html and "saved" in html
    assert "HX-Request" in response.headers["Vary"]
    assert client.get_cookie("consent") is not None and len(decisions(db_session)) == 1


def test_boosted_decision_is_a_normal_redirect(client, csrf, db_session):
    response = decide(client, csrf, "accept_all", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 303 and len(decisions(db_session)) == 1


@pytest.mark.parametrize("fields", [
    {"action": "accept_everything"},
    {"action": "choose", "category": ["advertising"]},
    {"action": "choose", "service": ["tiktok_pixel"]},
    {"action": "choose", "service": ["facebook_pixel"] * 40},
    {"action": "choose", "service": ["x" * 5000]},
    {"action": "accept_all", "next": "/" + "a" * 3000},
])
def test_bad_input_is_refused_with_a_clear_error_and_nothing_stored(client, csrf, db_session, fields):
    response = client.post("/consent", data={"csrf_token": csrf("/"), **fields})
    assert response.status_code == 400
    assert "cookie" in response.get_data(as_text=True).lower()
    assert decisions(db_session) == [] and client.get_cookie("consent") is None


def test_decision_without_csrf_is_refused(client, db_session):
    assert client.post("/consent", data={"action": "accept_all"}).status_code == 400
    assert decisions(db_session) == []


def test_offsite_next_is_not_followed(client, csrf):
    response = decide(client, csrf, "accept_all", next="//evil.example/")
    assert response.headers["Location"] == "/"


@given(categories=st.lists(st.text(max_size=20), max_size=5), services=st.lists(st.text(max_size=30), max_size=5))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_form_input_is_stored_correctly_or_refused_whole(client, csrf, db_session, categories, services):
    before = len(decisions(db_session))
    response = client.post("/consent", data={"action": "choose", "csrf_token": csrf("/"), "category": categories,
                                             "service": services})
    valid = set(categories) <= set(catalogue.CATEGORY_KEYS) and set(services) <= set(catalogue.SERVICE_KEYS)
    assert response.status_code == (303 if valid else 400)
    assert len(decisions(db_session)) == before + (1 if valid else 0)
    if valid:
        row = decisions(db_session)[-1]
        assert set(row.services) <= set(ALL_SERVICES) and set(row.categories) == set(catalogue.CATEGORY_KEYS)


@pytest.mark.parametrize("forged", ["abc", "AAAAAAAAAAAAAAAAAAAAAA.forgedsignature", "x" * 3000, ""])
def test_forged_consent_cookie_counts_as_no_consent(client, db_session, forged):
    client.set_cookie("consent", forged)
    assert 'id="consent-banner"' in client.get("/").get_data(as_text=True)


def test_well_signed_but_unknown_id_counts_as_no_consent(client, csrf, db_session):
    client.set_cookie("consent", sign("B" * 22))
    assert 'id="consent-banner"' in client.get("/").get_data(as_text=True)
    decide(client, csrf, "accept_all")
    assert decisions(db_session)[0].consent_id == "B" * 22  # the cookie's id is reused, its history starts now


def test_tampered_signature_of_a_real_id_counts_as_no_consent(client, csrf, db_session):
    decide(client, csrf, "accept_all")
    value = client.get_cookie("consent").value
    client.set_cookie("consent", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert 'id="consent-banner"' in client.get("/").get_data(as_text=True)


def test_consent_expires_after_the_configured_time_and_is_asked_again(app, client, csrf, db_session):
    decide(client, csrf, "accept_all")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=181)):
        assert 'id="consent-banner"' not in client.get("/").get_data(as_text=True)
    with time_machine.travel(datetime.now(UTC) + timedelta(days=183)):
        assert 'id="consent-banner"' in client.get("/").get_data(as_text=True)
        decide(client, csrf, "reject_all")
    assert [d.action for d in decisions(db_session)] == ["accept_all", "reject_all"]
    assert len({d.consent_id for d in decisions(db_session)}) == 1


def test_consent_lifetime_is_configurable(app, client, csrf, db_session, monkeypatch):
    from webapp.config import load_config

    assert load_config({"CONSENT_MAX_AGE_DAYS": "30"})["CONSENT_MAX_AGE_DAYS"] == 30
    monkeypatch.setitem(app.config, "CONSENT_MAX_AGE_DAYS", 30)
    decide(client, csrf, "accept_all")
    row = decisions(db_session)[0]
    assert row.expires_at - row.decided_at == timedelta(days=30)
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        assert 'id="consent-banner"' in client.get("/").get_data(as_text=True)


def test_gpc_decision_refuses_marketing_and_records_the_signal(client, csrf, db_session):
    decide(client, csrf, "accept_all", headers={"Sec-GPC": "1"})
    [row] = decisions(db_session)
    assert row.categories == {"necessary": True, "analytics": True, "marketing": False}
    assert row.gpc is True and row.services == ["first_party_analytics"]


def test_gpc_banner_explains_marketing_stays_off(client):
    html = client.get("/", headers={"Sec-GPC": "1"}).get_data(as_text=True)
    assert "Global Privacy Control" in html


def test_gpc_signal_overrides_an_earlier_marketing_consent(client, csrf, db_session):
    decide(client, csrf, "accept_all")
    client.set_cookie("_fbp", "fb.1.123")
    client.set_cookie("bz_vid", "keep")
    response = client.get("/", headers={"Sec-GPC": "1"})
    first, second = decisions(db_session)
    assert (second.method, second.action, second.gpc) == ("gpc", "gpc_refusal", True)
    assert second.categories == {"necessary": True, "analytics": True, "marketing": False}
    assert second.consent_id == first.consent_id and second.services == ["first_party_analytics"]
    cleared = " ".join(set_cookies(response))
    assert "_fbp=;" in cleared and "bz_vid=;" not in cleared
    client.get("/", headers={"Sec-GPC": "1"})
    assert len(decisions(db_session)) == 2  # recorded once


def test_withdrawal_refuses_everything_and_clears_our_cookies(client, csrf, db_session):
    decide(client, csrf, "accept_all")
    for name in ("bz_vid", "_pk_id.1.abc", "_pk_ses.1.abc", "_ga_X1", "_fbp", "_gcl_au", "lang"):
        client.set_cookie(name, "v")
    response = client.post("/cookie-settings", data={"action": "withdraw", "csrf_token": csrf("/cookie-settings")})
    assert response.status_code == 303 and response.headers["Location"] == "/cookie-settings"
    cleared = " ".join(set_cookies(response))
    for name in ("bz_vid", "_pk_id.1.abc", "_pk_ses.1.abc", "_ga_X1", "_fbp", "_gcl_au"):
        assert f"{name}=;" in cleared
    assert "lang=;" not in cleared
    row = decisions(db_session)[-1]
    assert (row.method, row.action, row.categories["analytics"], row.categories["marketing"]) == \
        ("settings", "withdraw", False, False)
    page = client.get("/cookie-settings").get_data(as_text=True)
    assert "withdrawn" in page and "refused" in page


def test_rejecting_a_category_clears_only_its_cookies(client, csrf, db_session):
    decide(client, csrf, "accept_all")
    client.set_cookie("bz_vid", "v")
    client.set_cookie("_fbp", "v")
    response = client.post("/cookie-settings", data={"action": "choose", "service": "first_party_analytics",
                                                     "csrf_token": csrf("/cookie-settings")})
    cleared = " ".join(set_cookies(response))
    assert "_fbp=;" in cleared and "bz_vid=;" not in cleared


def test_settings_page_shows_the_current_choice_and_changes_it(client, csrf, db_session):
    decide(client, csrf, "choose", service="first_party_analytics")
    html = client.get("/cookie-settings").get_data(as_text=True)
    row = decisions(db_session)[0]
    assert row.consent_id in html and 'id="consent-banner"' not in html
    assert 'value="first_party_analytics"\n          checked' in html or 'value="first_party_analytics" checked' in html
    client.post("/cookie-settings", data={"action": "accept_all", "csrf_token": csrf("/cookie-settings")})
    assert decisions(db_session)[-1].method == "settings" and decisions(db_session)[-1].categories["marketing"]


def test_settings_partial_for_htmx(client):
    html = client.get("/cookie-settings", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in html and 'id="cookie-settings"' in html


def test_settings_refuses_unknown_input(client, csrf, db_session):
    response = client.post("/cookie-settings", data={"action": "choose", "category": "tracking",
                                                     "csrf_token": csrf("/cookie-settings")})
    assert response.status_code == 400 and decisions(db_session) == []


@pytest.mark.parametrize("path", ["/", "/login", "/cookie-settings"])
def test_every_page_footer_links_to_cookie_settings(client, path):
    assert 'id="cookie-settings-link"' in client.get(path).get_data(as_text=True)


def test_decision_records_the_notice_version_and_its_hash(client, csrf, db_session):
    version = publish(db_session, 1)
    decide(client, csrf, "accept_all")
    row = decisions(db_session)[0]
    assert (row.notice_version_id, row.notice_number, row.notice_hash) == (version.id, 1, version.text_hash)


def test_new_notice_version_asks_again_only_for_the_changed_purposes(client, csrf, db_session):
    from webapp.consent import services

    publish(db_session, 1)
    decide(client, csrf, "accept_all")
    publish(db_session, 2, changed=["marketing"])
    html = client.get("/").get_data(as_text=True)
    assert 'id="consent-banner"' in html and "privacy notice has changed" in html
    assert 'value="facebook_pixel"' in html and 'value="first_party_analytics"' not in html
    cookie = client.get_cookie("consent").value
    with client.application.test_request_context("/", headers={"Cookie": f"consent={cookie}"}):
        services.forget_state()
        assert services.granted("analytics") and not services.granted("marketing")
    decide(client, csrf, "reject_all")
    row = decisions(db_session)[-1]
    assert row.categories == {"necessary": True, "analytics": True, "marketing": False}
    assert row.notice_number == 2 and 'id="consent-banner"' not in client.get("/").get_data(as_text=True)


def test_new_notice_version_that_changes_no_decided_purpose_asks_nothing(client, csrf, db_session):
    publish(db_session, 1)
    decide(client, csrf, "accept_all")
    publish(db_session, 2, changed=["necessary"])
    assert 'id="consent-banner"' not in client.get("/").get_data(as_text=True)


def test_skipped_versions_add_up(client, csrf, db_session):
    publish(db_session, 1)
    decide(client, csrf, "accept_all")
    publish(db_session, 2, changed=["analytics"])
    publish(db_session, 3, changed=["marketing"])
    html = client.get("/").get_data(as_text=True)
    assert 'value="first_party_analytics"' in html and 'value="facebook_pixel"' in html


def test_request_helpers_for_other_features(app, client, csrf, db_session):
    from webapp.consent import services

    with app.test_request_context("/"):
        services.forget_state()
        assert services.consent_id() is None and not services.granted("analytics")
        assert services.granted("necessary") and not services.granted("bogus")
    decide(client, csrf, "choose", service="first_party_analytics")
    cookie = client.get_cookie("consent").value
    with app.test_request_context("/", headers={"Cookie": f"consent={cookie}"}):
        services.forget_state()  # the test's app context (and g) outlives each request context
        assert services.consent_id() == decisions(db_session)[0].consent_id
        assert services.granted("analytics") and not services.granted("marketing")
        assert app.jinja_env.globals["consent_granted"]("analytics")
    with app.test_request_context("/", headers={"Cookie": f"consent={cookie}", "Sec-GPC": "1"}):
        services.forget_state()
        assert services.granted("analytics") and not services.granted("marketing")
    services.forget_state()
    assert not services.granted("analytics")  # outside a request


def test_production_host_prefixed_cookies_are_cleared_as_secure(app, client, csrf, monkeypatch):
    decide(client, csrf, "accept_all")
    monkeypatch.setitem(app.config, "PRODUCTION", False)
    client.set_cookie("__Host-bz_vid", "v")
    response = client.post("/cookie-settings", data={"action": "withdraw", "csrf_token": csrf("/cookie-settings")})
    [cleared] = [c for c in set_cookies(response) if c.startswith("__Host-bz_vid=")]
    assert "Secure" in cleared and "Path=/" in cleared and "Domain" not in cleared


def test_banner_links_to_the_sub_processor_registry(app, client):
    from webapp.consent.setup import REGISTRY_PATH, registry_url

    with app.test_request_context("/"):
        url = registry_url()
    html = client.get("/").get_data(as_text=True)
    assert url == REGISTRY_PATH and f'href="{url}">in our list of sub-processors' in html


def test_consent_dependent_pages_vary_on_cookie_and_gpc(client):
    vary = client.get("/").headers["Vary"]
    assert "Cookie" in vary and "Sec-GPC" in vary
