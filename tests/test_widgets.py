"""Embeddable sign-up widgets: framed only by allowed sites, no cookies, a signed token, spam brakes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp import clock
from webapp.leads.models import Lead
from webapp.newsletter.models import NewsletterSubscription, SignupEvidence
from webapp.trials.models import TrialSignup
from webapp.widgets import services
from webapp.widgets.models import WidgetOrigin
from webapp.workshops.models import BookingRequest

SHOP = "https://shop.example.com"
FIELDS = {
    "newsletter": {"name": "Anna", "email": "anna@example.com", "adult": "y", "agree": "y"},
    "workshop": {"name": "Anna", "email": "anna@example.com", "phone": "+36 20 123 4567", "adult": "y"},
    "trial": {"name": "Anna", "email": "anna@example.com", "phone": "+36 20 123 4567", "company": "Anna Kft.",
              "terms": "y", "adult": "y", "no_special": "y", "no_ids": "y", "ui_only": "y", "consultants": "y"},
}


def _token(html: str) -> str:
    return re.search(r'name="wt" type="hidden" value="([^"]+)"', html).group(1)


def _post(client, kind, token, environ=None, **change):
    data = {k: v for k, v in (FIELDS[kind] | {"website": "", "wt": token} | change).items() if v is not None}
    return client.post(f"/embed/{kind}", data=data, environ_base=environ or {})


@pytest.fixture()
def shop(db_session):
    db_session.add(WidgetOrigin(origin=SHOP))
    db_session.commit()


@pytest.mark.parametrize(("kind", "model"), [("newsletter", NewsletterSubscription), ("workshop", BookingRequest),
                                             ("trial", TrialSignup)])
def test_each_widget_signs_up_without_cookies_and_names_its_source(client, db_session, shop, kind, model):
    page = client.get(f"/embed/{kind}", environ_base={"HTTP_REFERER": f"{SHOP}/pricing?x=1"})
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert f"frame-ancestors 'self' {SHOP}" in page.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in page.headers
    with time_machine.travel(clock.now() + timedelta(seconds=30), tick=False):
        response = _post(client, kind, _token(page.get_data(as_text=True)),
                         environ={"HTTP_REFERER": f"http://localhost/embed/{kind}"})
    assert response.status_code == 200 and "Thank you" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    assert db_session.scalar(select(func.count()).select_from(model)) == 1
    assert db_session.scalars(select(SignupEvidence.form)).first() == f"widget:{kind}:{SHOP}"


def test_an_unlisted_site_is_recorded_as_such_and_cannot_frame(client, db_session):
    page = client.get("/embed/newsletter", environ_base={"HTTP_REFERER": "https://evil.example/"})
    assert "frame-ancestors 'self';" in page.headers["Content-Security-Policy"] + ";"
    with time_machine.travel(clock.now() + timedelta(seconds=30), tick=False):
        _post(client, "newsletter", _token(page.get_data(as_text=True)),
              environ={"HTTP_REFERER": "https://evil.example/"})
    assert db_session.scalars(select(SignupEvidence.form)).one() == "widget:newsletter:unlisted"


def test_posts_without_a_valid_token_store_nothing(client, db_session, shop):
    page = client.get("/embed/newsletter").get_data(as_text=True)
    workshop_token = _token(client.get("/embed/workshop").get_data(as_text=True))
    cases = {None: "could not be checked", "forged.token.value": "could not be checked",
             workshop_token: "could not be checked", _token(page): "very fast"}
    for token, message in cases.items():
        response = _post(client, "newsletter", token)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    with time_machine.travel(clock.now() + timedelta(hours=3), tick=False):
        response = _post(client, "newsletter", _token(page))
    assert response.status_code == 400 and "open for a long time" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Lead)) == 0


def test_bots_filling_the_honeypot_or_flooding_are_stopped(client, db_session, shop):
    token = _token(client.get("/embed/newsletter").get_data(as_text=True))
    with time_machine.travel(clock.now() + timedelta(seconds=30), tick=False):
        assert _post(client, "newsletter", token, website="http://spam.example").status_code == 422
        assert _post(client, "newsletter", token, adult=None).status_code == 422
        statuses = [_post(client, "newsletter", token, email=f"bot{n}@example.com",
                          environ={"REMOTE_ADDR": "203.0.113.9"}).status_code for n in range(12)]
    assert statuses[:services.PER_SOURCE_PER_HOUR] == [200] * services.PER_SOURCE_PER_HOUR
    assert statuses[services.PER_SOURCE_PER_HOUR:] == [429, 429]
    assert db_session.scalar(select(func.count()).select_from(Lead)) == services.PER_SOURCE_PER_HOUR


def test_the_widget_speaks_the_language_it_is_asked_for(client, db_session):
    assert '<html lang="hu">' in client.get("/embed/trial?lang=hu").get_data(as_text=True)
    assert '<html lang="de">' in client.get("/embed/trial?lang=de").get_data(as_text=True)
    assert client.get("/embed/unknown").status_code == 404


def test_operators_keep_the_list_of_allowed_sites(client, login, make, db_session):
    login(make.user(staff_role="operator"))
    token = csrf_from(client.get("/staff/widgets").get_data(as_text=True))
    for bad in ("shop.example.com", "https://shop.example.com/path", "javascript:alert(1)", "https://u:p@x.example"):
        response = client.post("/staff/widgets", data={"origin": bad, "csrf_token": token})
        assert response.status_code == 422, bad
    assert client.post("/staff/widgets", data={"origin": "HTTPS://Shop.Example.com/", "csrf_token": token}
                       ).status_code == 303
    row = db_session.scalars(select(WidgetOrigin)).one()
    assert row.origin == "https://shop.example.com"
    assert f"frame-ancestors 'self' {row.origin}" in client.get("/embed/newsletter").headers["Content-Security-Policy"]
    client.post(f"/staff/widgets/{row.id}/remove", data={"csrf_token": token})
    assert db_session.scalar(select(func.count()).select_from(WidgetOrigin)) == 0


def test_staff_page_fragment_with_and_without_htmx(client, login, make, db_session):
    login(make.user(staff_role="operator"))
    full, partial = client.get("/staff/widgets"), client.get("/staff/widgets", headers={"HX-Request": "true"})
    assert "<html" in full.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
    assert 'id="widget-origins"' in partial.get_data(as_text=True) and "embed.js" in partial.get_data(as_text=True)
