"""Record timeline: notes, tasks and audit entries merged newest first, keyset pages on (time, kind, id)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from webapp import tenancy
from webapp.activities import timeline
from webapp.activities.models import Note, Task
from webapp.audit.models import AuditEntry

HX = {"HX-Request": "true"}
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ENTRY_RE = re.compile(r'<li class="timeline-(\w+)" id="timeline-\w+-(\d+)">')


@pytest.fixture()
def tenant(make):
    return make.tenant()


@pytest.fixture()
def me(make, login, tenant):
    user = make.user(tenant=tenant, name="Timeline Tester")
    login(user)
    return user


def _fill(db_session, tenant, me, contact_id: int, count: int) -> None:
    """Notes and tasks one minute apart, some sharing a timestamp with each other."""
    with tenancy.scoped(tenant.id):
        for i in range(count):
            at = T0 + timedelta(minutes=i // 2)
            item = (Note(body=f"note {i}", author_id=me.id) if i % 3 else Task(title=f"task {i}", author_id=me.id))
            item.contact_id, item.created_at = contact_id, at
            db_session.add(item)
        db_session.flush()


def _expected(db_session, tenant, contact_id: int) -> list[tuple[str, int]]:
    with tenancy.scoped(tenant.id):
        notes = db_session.scalars(select(Note).where(Note.contact_id == contact_id))
        tasks = db_session.scalars(select(Task).where(Task.contact_id == contact_id))
        rows = [(n.created_at, "note", n.id) for n in notes] + [(t.created_at, "task", t.id) for t in tasks]
        rows += [(a.occurred_at, "audit", a.id) for a in db_session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "contact", AuditEntry.record_id == contact_id))]
    return [(kind, record_id) for _at, kind, record_id in sorted(rows, reverse=True)]


def test_entries_are_merged_newest_first_with_ties_by_kind_and_id(app, db_session, make, tenant, me):
    contact = make.contact(tenant, last_name="Ordered")
    with tenancy.scoped(tenant.id):
        same = T0
        items = [Note(body="a", contact_id=contact.id, created_at=same), Note(body="b", contact_id=contact.id,
                 created_at=same), Task(title="t", contact_id=contact.id, created_at=same)]
        db_session.add_all(items)
        db_session.flush()
        with app.test_request_context(headers={"Accept-Language": "en"}):
            page = timeline.timeline("contact", contact.id)
        keys = [(e.kind, e.id) for e in page.entries]
    assert keys[0][0] == "audit"  # the contact's creation happened "now", after T0
    assert keys[1:] == [("task", items[2].id), ("note", items[1].id), ("note", items[0].id)]
    assert page.next_cursor is None


def test_pages_walk_without_gaps_or_repeats_with_and_without_htmx(client, db_session, make, tenant, me):
    contact = make.contact(tenant, last_name="Busy")
    contact_id = contact.id
    _fill(db_session, tenant, me, contact_id, 45)
    expected = _expected(db_session, tenant, contact_id)
    first = client.get(f"/contacts/{contact_id}").get_data(as_text=True)
    seen = ENTRY_RE.findall(first)
    assert len(seen) == timeline.PAGE_SIZE
    more = re.search(r'href="(/records/contact/\d+/timeline\?after=[^"]+)"', first).group(1)
    use_htmx = True
    while more:
        response = client.get(more, headers=HX if use_htmx else {})
        html = response.get_data(as_text=True)
        assert ("<html" in html) != use_htmx and "HX-Request" in response.headers["Vary"]
        seen += ENTRY_RE.findall(html)
        found = re.search(r'href="(/records/contact/\d+/timeline\?after=[^"]+)"', html)
        more, use_htmx = (found.group(1) if found else None), not use_htmx
    assert [(kind, int(i)) for kind, i in seen] == expected
    assert "Timeline Tester" in first


def test_audit_entries_show_who_changed_what(client, csrf, db_session, make, tenant, me):
    contact = make.contact(tenant, last_name="Before")
    contact_id = contact.id
    client.post(f"/contacts/{contact_id}/edit", data={"csrf_token": csrf("/contacts"), "last_name": "After"})
    html = client.get(f"/records/contact/{contact_id}/timeline", headers=HX).get_data(as_text=True)
    entries = ENTRY_RE.findall(html)
    assert entries[0][0] == "audit" and "Timeline Tester" in html and "<ins>After</ins>" in html


def test_company_timeline_and_junk_cursors(client, db_session, make, tenant, me):
    company = make.company(tenant, name="Timeline Kft.")
    company_id = company.id
    with tenancy.scoped(tenant.id):
        db_session.add(Note(body="on the company", company_id=company_id, author_id=me.id))
        db_session.flush()
    html = client.get(f"/companies/{company_id}").get_data(as_text=True)
    assert "on the company" in html
    for cursor in ("junk", "W10", "WyJ4IiwgIm5vdGUiLCAxXQ", "x" * 600):
        assert client.get(f"/records/company/{company_id}/timeline", query_string={"after": cursor}).status_code == 200
    assert client.get(f"/records/company/{company_id + 1000}/timeline").status_code == 404
