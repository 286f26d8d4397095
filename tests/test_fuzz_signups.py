"""Fuzzed public forms (sign-ups, widgets, portal links): never a 500, and a refused post stores nothing."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp.leads.models import Lead
from webapp.mydata.models import PortalLink

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=120) | st.sampled_from(
    ["", "a@b.c", "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "Anna\r\nBcc: x@example.com", "+36 20 123 4567"])
boxes = st.sampled_from(["", "y", "on", "no", "\x00"])


def _leads(db_session) -> int:
    return db_session.scalar(select(func.count(Lead.id)))


@FUZZ
@given(path=st.sampled_from(["/newsletter", "/workshop", "/trial"]), name=texts, email=texts, phone=texts,
       company=texts, adult=boxes, agree=boxes, website=texts)
def test_site_sign_ups(client, db_session, path, name, email, phone, company, adult, agree, website):
    before = _leads(db_session)
    data = {"name": name, "email": email, "phone": phone, "company": company, "adult": adult, "agree": agree,
            "terms": agree, "website": website, "csrf_token": csrf_from(client.get(path).get_data(as_text=True))}
    response = client.post(path, data={k: v for k, v in data.items() if v != ""})
    assert response.status_code in (303, 422), response.status_code
    if response.status_code == 422:
        assert _leads(db_session) == before


@FUZZ
@given(kind=st.sampled_from(["newsletter", "workshop", "trial"]), token=texts, name=texts, email=texts,
       adult=boxes)
def test_widget_posts(client, db_session, kind, token, name, email, adult):
    before = _leads(db_session)
    response = client.post(f"/embed/{kind}", data={"wt": token, "name": name, "email": email, "adult": adult},
                           environ_base={"REMOTE_ADDR": "198.51.100.8"})
    assert response.status_code in (400, 422, 429) and "Set-Cookie" not in response.headers
    assert _leads(db_session) == before


@FUZZ
@given(email=texts)
def test_portal_link_requests(client, db_session, email):
    token = csrf_from(client.get("/my-data").get_data(as_text=True))
    # its own network address: the per-address hourly limit must not spill into other tests
    response = client.post("/my-data", data={"email": email, "csrf_token": token},
                           environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code in (200, 422)
    assert db_session.scalar(select(func.count(PortalLink.id))) == 0  # nobody is held: never a link
    assert not re.search(r"/my-data/open/", response.get_data(as_text=True))
