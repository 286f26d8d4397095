"""Fuzzed form posts: never a 500, never a change from bad input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from webapp.accounts.models import User

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.binary(max_size=200).map(
    lambda b: b.decode("latin-1"))


@FUZZ
@given(email=texts | st.just("fuzz-target@example.com"), password=texts, next_=texts)
def test_login_form_never_fails_and_never_logs_in(client, csrf, make, email, password, next_):
    """Fixtures run once per test, so the target account exists for every example."""
    if not hasattr(make, "target"):
        make.target = make.user(email="fuzz-target@example.com")
    response = client.post("/login", data={"email": email, "password": password, "next": next_,
                                           "csrf_token": csrf()})
    assert response.status_code in (400, 422, 429)  # 429: the IP throttle kicks in after 20 failures
    assert "Traceback" not in response.get_data(as_text=True)


@FUZZ
@given(lang=texts, next_=texts)
def test_language_form_accepts_only_known_languages(client, csrf, lang, next_):
    response = client.post("/language", data={"lang": lang, "next": next_, "csrf_token": csrf("/")})
    if lang in ("de", "en", "hu"):
        assert response.status_code == 303
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//")
    else:
        assert response.status_code == 400


@FUZZ
@given(body=st.binary(max_size=2000), content_type=st.sampled_from([
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json", "text/plain"]))
def test_raw_bodies_get_a_clear_answer_and_change_nothing(client, db_session, body, content_type):
    users_before = db_session.scalar(select(func.count(User.id)))
    response = client.post("/login", data=body, content_type=content_type)
    assert response.status_code in (400, 413, 422)
    assert db_session.scalar(select(func.count(User.id))) == users_before
