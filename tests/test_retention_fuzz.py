"""Fuzzed posts to the privacy officers' forms: never a 500, never a change from bad input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from webapp.processing import services as processing
from webapp.retention.models import LegalHold

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)


def _signed_in(client, make, login):
    if not hasattr(make, "officer"):
        make.officer = make.user(staff_role="privacy_officer")
        login(make.officer)


@FUZZ
@given(scope=texts | st.sampled_from(["person", "record"]), email=texts, table=texts | st.just("leads"),
       record_id=texts, reason=texts, until=texts)
def test_hold_form_never_fails(client, csrf, make, login, db_session, scope, email, table, record_id, reason, until):
    _signed_in(client, make, login)
    before = db_session.scalar(select(func.count(LegalHold.id)))
    response = client.post("/privacy/retention/holds", data={
        "scope": scope, "email": email, "table_name": table, "record_id": record_id, "reason": reason,
        "until": until, "csrf_token": csrf("/privacy/retention/")})
    assert response.status_code in (303, 422)
    after = db_session.scalar(select(func.count(LegalHold.id)))
    assert after == before + (1 if response.status_code == 303 else 0)


@FUZZ
@given(period=texts | st.integers(-5, 20000).map(str), unit=texts | st.sampled_from(["days", "years"]),
       clock=texts, basis=texts, categories=st.lists(texts, max_size=3), note=texts)
def test_activity_form_never_fails(client, csrf, make, login, db_session, period, unit, clock, basis, categories,
                                   note):
    _signed_in(client, make, login)
    item = processing.activity("trash")
    version = item.version
    response = client.post("/privacy/processing/trash/edit", data={
        "title_en": item.title_en, "title_de": item.title_de, "title_hu": item.title_hu,
        "description": item.description, "categories": categories, "legal_basis": basis, "clock": clock,
        "period": period, "unit": unit, "note": note, "csrf_token": csrf("/privacy/processing/trash/edit")})
    assert response.status_code in (303, 422)
    db_session.expire_all()
    if response.status_code == 422:
        assert item.version == version
