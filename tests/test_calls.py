"""Call log: metadata only, recording only when announced, review flag for managers, retention by start time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import csrf_from
from webapp import clock
from webapp.calls import services
from webapp.calls.models import CallLog
from webapp.leads import services as leads
from webapp.leads.models import Lead
from webapp.retention import services as retention

HTMX = {"HX-Request": "true"}
NOW = datetime(2026, 11, 25, 4, 20, tzinfo=UTC)


@pytest.fixture()
def lead(db_session):
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        made = leads.upsert("gabor@example.com", "Gábor Nagy", "workshop", phone="+36201234567")
    db_session.commit()
    return made


def _count(db_session):
    return db_session.scalar(select(func.count()).select_from(CallLog))


def _form(client, lead_id, **change):
    page = client.get(f"/staff/leads/{lead_id}").get_data(as_text=True)
    data = {"direction": "outbound", "started_at": "2026-11-24T10:00", "duration_minutes": "12", "notes": "",
            "csrf_token": csrf_from(page)} | change
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("values", [
    {"direction": "inbound", "recorded": True, "announced": False},
    {"direction": "outbound", "recorded": True, "announced": True},
    {"direction": "phone", "recorded": False, "announced": False},
    {"direction": "inbound", "duration_seconds": -1},
])
def test_the_database_refuses_what_the_rules_forbid(db_session, lead, values):
    row = {"lead_id": lead.id, "started_at": NOW, "duration_seconds": 60, "created_at": NOW} | values
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.execute(insert(CallLog).values(**row))
    assert _count(db_session) == 0


def test_an_announced_inbound_call_may_be_recorded(db_session, lead):
    db_session.execute(insert(CallLog).values(lead_id=lead.id, started_at=NOW, duration_seconds=60, created_at=NOW,
                                              direction="inbound", announced=True, recorded=True))
    assert _count(db_session) == 1


def test_logging_a_call_is_an_interaction(client, login, make, db_session, lead):
    staff = make.user(staff_role="consultant")
    login(staff)
    before = clock.now()
    response = client.post(f"/staff/leads/{lead.id}/calls", data=_form(client, lead.id, notes="Wants a demo"))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/staff/leads/{lead.id}#calls")
    call = db_session.scalars(select(CallLog)).one()
    assert (call.direction, call.duration_seconds, call.staff_id, call.notes, call.recorded) == (
        "outbound", 720, staff.id, "Wants a demo", False)
    db_session.refresh(lead)
    assert lead.last_interaction_at >= before > NOW - timedelta(days=1)


def test_the_call_fragment_with_and_without_htmx(client, login, make, db_session, lead):
    login(make.user(staff_role="sales"))
    fragment = client.post(f"/staff/leads/{lead.id}/calls", data=_form(client, lead.id), headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and html.lstrip().startswith('<section id="calls">') and "<html" not in html
    assert "HX-Request" in fragment.headers["Vary"]
    bad = client.post(f"/staff/leads/{lead.id}/calls", data=_form(client, lead.id, duration_minutes="-3"))
    assert bad.status_code == 422 and "<html" in bad.get_data(as_text=True)
    assert _count(db_session) == 1


def test_a_contact_stopped_lead_gets_no_outbound_call_but_may_call_us(client, login, make, db_session, lead):
    leads.stop_contact(lead)
    db_session.commit()
    login(make.user(staff_role="sales"))
    refused = client.post(f"/staff/leads/{lead.id}/calls", data=_form(client, lead.id), headers=HTMX)
    assert refused.status_code == 422 and "stop contacting" in refused.get_data(as_text=True)
    assert _count(db_session) == 0
    inbound = client.post(f"/staff/leads/{lead.id}/calls", data=_form(client, lead.id, direction="inbound"))
    assert inbound.status_code == 303 and _count(db_session) == 1


def test_recording_needs_an_announced_inbound_call(client, login, make, db_session, lead):
    login(make.user(staff_role="consultant"))
    for change in ({"direction": "inbound", "recorded": "y"},
                   {"direction": "outbound", "recorded": "y", "announced": "y"}):
        response = client.post(f"/staff/leads/{lead.id}/calls", data=_form(client, lead.id, **change))
        assert response.status_code == 422 and "only after the announcement" in response.get_data(as_text=True)
    assert _count(db_session) == 0
    ok = client.post(f"/staff/leads/{lead.id}/calls", data=_form(client, lead.id, direction="inbound", recorded="y",
                                                                 announced="y"))
    assert ok.status_code == 303 and db_session.scalars(select(CallLog.recorded)).one() is True


def test_only_managers_may_mark_a_call_for_review(client, login, make, db_session, lead):
    login(make.user(staff_role="consultant"))
    refused = client.post(f"/staff/leads/{lead.id}/calls", data=_form(client, lead.id, review="y"))
    assert refused.status_code == 422 and "Only sales managers" in refused.get_data(as_text=True)
    assert _count(db_session) == 0
    client.post(f"/staff/leads/{lead.id}/calls", data=_form(client, lead.id))
    call = db_session.scalars(select(CallLog)).one()
    token = csrf_from(client.get(f"/staff/leads/{lead.id}").get_data(as_text=True))
    assert client.post(f"/staff/leads/{lead.id}/calls/{call.id}/review", data={"csrf_token": token}).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    login(make.user(staff_role="sales"))
    token = csrf_from(client.get(f"/staff/leads/{lead.id}").get_data(as_text=True))
    marked = client.post(f"/staff/leads/{lead.id}/calls/{call.id}/review", data={"csrf_token": token}, headers=HTMX)
    assert marked.status_code == 200 and "Unmark" in marked.get_data(as_text=True)
    db_session.refresh(call)
    assert call.review is True
    with pytest.raises(services.CallRefused):
        services.set_review(call, make.user(staff_role="support"), False)


def test_call_logs_go_after_the_retention_period_by_start_time(db_session, lead):
    for days in (366, 364):
        services.log_call(lead, None, direction="inbound", started_at=NOW - timedelta(days=days), duration_seconds=60)
    db_session.commit()
    dry = {item.target: item for item in retention.items_of(retention.run(as_of=NOW, dry_run=True))}
    assert dry["call_logs"].candidates == 1 and dry["call_logs"].error is None
    with time_machine.travel(NOW, tick=False):
        retention.run(as_of=NOW)
    db_session.expire_all()
    assert [c.started_at for c in db_session.scalars(select(CallLog))] == [NOW - timedelta(days=364)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.fixed_dictionaries({}, optional={
    "direction": st.sampled_from(["inbound", "outbound", "", "sideways"]),
    "started_at": st.one_of(st.sampled_from(["2026-11-24T10:00", "0001-01-01T00:00", "9999-12-31T23:59", ""]),
                            st.text(max_size=20)),
    "duration_minutes": st.one_of(st.integers(-10, 10_000).map(str), st.text(max_size=8)),
    "announced": st.sampled_from(["y", ""]), "recorded": st.sampled_from(["y", ""]),
    "review": st.sampled_from(["y", ""]), "notes": st.text(max_size=50)}))
def test_fuzz_call_form_never_500_and_bad_input_stores_nothing(client, login, make, db_session, lead, data):
    if not getattr(client, "_fuzz_login", False):
        login(make.user(staff_role="consultant"))
        client._fuzz_login = True
    before = _count(db_session)
    token = csrf_from(client.get(f"/staff/leads/{lead.id}").get_data(as_text=True))
    response = client.post(f"/staff/leads/{lead.id}/calls", data={**data, "csrf_token": token})
    assert response.status_code in (303, 422)
    assert _count(db_session) == before + (1 if response.status_code == 303 else 0)
    assert db_session.get(Lead, lead.id) is not None
