"""Notes and tasks on contacts and companies: htmx fragments and plain forms, permissions, the
one-parent CHECK, trash and restore, "My tasks" (overdue first)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from webapp import clock, tenancy
from webapp.activities.models import Note, Task
from webapp.audit.models import AuditEntry

HX = {"HX-Request": "true"}


@pytest.fixture()
def tenant(make):
    return make.tenant()


@pytest.fixture()
def me(make, login, tenant):
    user = make.user(tenant=tenant)
    login(user)
    return user


def _notes(db_session, tenant):
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        return db_session.scalars(select(Note).order_by(Note.id)).all()


def _tasks(db_session, tenant):
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        return db_session.scalars(select(Task).order_by(Task.id)).all()


def test_add_note_with_htmx_returns_the_section(client, make, csrf, tenant, me, db_session):
    contact = make.contact(tenant, last_name="Noted")
    response = client.post(f"/records/contact/{contact.id}/notes", headers={**HX, "X-CSRFToken": csrf("/contacts")},
                           data={"body": "Called her.\nWants an offer."})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith(f'<section id="activity-contact-{contact.id}"')
    assert "Called her.<br>Wants an offer." in html and "HX-Request" in response.headers["Vary"]
    contact_id, me_id = contact.id, me.id
    [note] = _notes(db_session, tenant)
    assert (note.contact_id, note.company_id, note.author_id) == (contact_id, None, me_id)


def test_add_note_without_js_redirects_and_bad_input_is_422(client, make, csrf, tenant, me, db_session):
    company = make.company(tenant, name="Noted Kft.")
    token = csrf("/companies")
    response = client.post(f"/records/company/{company.id}/notes", data={"csrf_token": token, "body": "Visit"})
    assert response.status_code == 303 and response.headers["Location"] == f"/companies/{company.id}"
    assert "Visit" in client.get(f"/companies/{company.id}").get_data(as_text=True)
    for body in ("", "   ", "x" * 10001, "a\x00b"):
        bad = client.post(f"/records/company/{company.id}/notes", data={"csrf_token": token, "body": body})
        assert bad.status_code == 422 and "<html" in bad.get_data(as_text=True)
        fragment = client.post(f"/records/company/{company.id}/notes", headers={**HX, "X-CSRFToken": token},
                               data={"body": body})
        assert fragment.status_code == 422 and fragment.get_data(as_text=True).lstrip().startswith("<section")
    assert [n.body for n in _notes(db_session, tenant)] == ["Visit"]


def test_only_the_author_edits_or_deletes_a_note(client, make, csrf, tenant, me, db_session):
    contact = make.contact(tenant)
    colleague = make.user(tenant=tenant)
    with tenancy.scoped(tenant.id):
        theirs = Note(body="Theirs", contact_id=contact.id, author_id=colleague.id)
        mine = Note(body="Mine", contact_id=contact.id, author_id=me.id)
        db_session.add_all([theirs, mine])
        db_session.flush()
        theirs_id, mine_id = theirs.id, mine.id
    token = csrf("/contacts")
    assert client.get(f"/records/notes/{theirs_id}/edit").status_code == 403
    assert client.post(f"/records/notes/{theirs_id}/edit", data={"csrf_token": token, "body": "x"}).status_code == 403
    assert client.post(f"/records/notes/{theirs_id}/delete", data={"csrf_token": token}).status_code == 403
    page = client.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert f"/records/notes/{mine_id}/edit" in page and f"/records/notes/{theirs_id}/edit" not in page
    assert client.get(f"/records/notes/{mine_id}/edit").status_code == 200
    edited = client.post(f"/records/notes/{mine_id}/edit", data={"csrf_token": token, "body": "Mine, edited"})
    assert edited.status_code == 303
    deleted = client.post(f"/records/notes/{mine_id}/delete", headers={**HX, "X-CSRFToken": token})
    assert deleted.status_code == 200 and "Mine, edited" not in deleted.get_data(as_text=True)
    notes = {n.id: n for n in _notes(db_session, tenant)}
    assert notes[theirs_id].body == "Theirs" and notes[theirs_id].deleted_at is None
    assert notes[mine_id].body == "Mine, edited" and notes[mine_id].updated_at is not None
    assert notes[mine_id].deleted_at is not None  # in the trash, restorable
    assert f'value="note:{mine_id}"' in client.get("/trash").get_data(as_text=True)
    client.post("/trash/restore", data={"csrf_token": token, "one": f"note:{mine_id}"})
    assert {n.id: n for n in _notes(db_session, tenant)}[mine_id].deleted_at is None


def test_another_tenants_ids_are_404(client, make, csrf, tenant, me, db_session):
    other = make.tenant()
    their_contact = make.contact(other)
    their_user = make.user(tenant=other)
    with tenancy.scoped(other.id):
        note = Note(body="Secret", contact_id=their_contact.id, author_id=their_user.id)
        task = Task(title="Secret task", contact_id=their_contact.id, assignee_id=their_user.id)
        db_session.add_all([note, task])
        db_session.flush()
        note_id, task_id = note.id, task.id
    token = csrf("/contacts")
    data = {"csrf_token": token, "body": "x", "title": "x"}
    assert client.post(f"/records/contact/{their_contact.id}/notes", data=data).status_code == 404
    assert client.post(f"/records/contact/{their_contact.id}/tasks", data=data).status_code == 404
    assert client.get(f"/records/contact/{their_contact.id}/timeline").status_code == 404
    assert client.get(f"/records/notes/{note_id}/edit").status_code == 404
    assert client.post(f"/records/notes/{note_id}/delete", data=data).status_code == 404
    assert client.post(f"/records/tasks/{task_id}/done", data=data).status_code == 404
    assert client.post(f"/records/tasks/{task_id}/delete", data=data).status_code == 404
    assert client.post("/records/person/1/notes", data=data).status_code == 404
    [stored] = _tasks(db_session, other)
    assert stored.done_at is None and stored.deleted_at is None


def test_tasks_add_assign_complete_reopen(client, make, csrf, tenant, me, db_session):
    contact_id = make.contact(tenant, last_name="Tasked").id
    colleague_id = make.user(tenant=tenant, name="Colleague").id
    outsider_id = make.user(tenant=make.tenant()).id
    token = csrf("/contacts")
    refused = client.post(f"/records/contact/{contact_id}/tasks",
                          data={"csrf_token": token, "title": "Call", "assignee_id": str(outsider_id)})
    assert refused.status_code == 422 and _tasks(db_session, tenant) == []
    bad_date = client.post(f"/records/contact/{contact_id}/tasks",
                           data={"csrf_token": token, "title": "Call", "due_on": "0001-01-01"})
    assert bad_date.status_code == 422
    added = client.post(f"/records/contact/{contact_id}/tasks", headers={**HX, "X-CSRFToken": token},
                        data={"title": "Send offer", "due_on": "2026-07-01", "assignee_id": str(colleague_id)})
    assert added.status_code == 200 and "Send offer" in added.get_data(as_text=True)
    [task] = _tasks(db_session, tenant)
    assert (task.due_on, task.assignee_id, task.author_id) == (date(2026, 7, 1), colleague_id, me.id)
    done = client.post(f"/records/tasks/{task.id}/done", data={"csrf_token": token, "done": "1"})
    assert done.status_code == 303
    assert _tasks(db_session, tenant)[0].done_at is not None
    client.post(f"/records/tasks/{task.id}/done", data={"csrf_token": token, "done": "0"})
    assert _tasks(db_session, tenant)[0].done_at is None
    deleted = client.post(f"/records/tasks/{task.id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303 and _tasks(db_session, tenant)[0].deleted_at is not None


def test_only_author_or_assignee_deletes_a_task(client, make, csrf, tenant, me, db_session):
    contact = make.contact(tenant)
    colleague = make.user(tenant=tenant)
    with tenancy.scoped(tenant.id):
        task = Task(title="Theirs", contact_id=contact.id, author_id=colleague.id, assignee_id=colleague.id)
        db_session.add(task)
        db_session.flush()
        task_id = task.id
    assert client.post(f"/records/tasks/{task_id}/delete", data={"csrf_token": csrf("/contacts")}).status_code == 403


def test_my_tasks_lists_open_tasks_overdue_first(client, make, csrf, tenant, me, db_session):
    contact = make.contact(tenant, last_name="Ügyfél")
    company = make.company(tenant, name="Cég Kft.")
    gone = make.contact(tenant, last_name="Gone")
    today = clock.now().date()
    with tenancy.scoped(tenant.id):
        rows = [Task(title="Later", contact_id=contact.id, assignee_id=me.id, due_on=today + timedelta(days=3)),
                Task(title="Undated", company_id=company.id, assignee_id=me.id),
                Task(title="Overdue", company_id=company.id, assignee_id=me.id, due_on=today - timedelta(days=3)),
                Task(title="Done", contact_id=contact.id, assignee_id=me.id, done_at=clock.now()),
                Task(title="Not mine", contact_id=contact.id),
                Task(title="Parent trashed", contact_id=gone.id, assignee_id=me.id)]
        db_session.add_all(rows)
        db_session.flush()
        from webapp.audit import services as audit

        audit.trash(type(gone), [gone.id])
        overdue_id = rows[2].id
    response = client.get("/my-tasks")
    fragment = client.get("/my-tasks", headers=HX).get_data(as_text=True)
    html = response.get_data(as_text=True)
    titles = [t for t in ("Overdue", "Later", "Undated", "Done", "Not mine", "Parent trashed") if t in html]
    assert titles == ["Overdue", "Later", "Undated"]
    assert html.index("Overdue") < html.index("Later") < html.index("Undated")
    assert "Cég Kft." in html and "Ügyfél" in html and 'href="/my-tasks"' in html
    assert fragment.startswith('<div id="my-tasks">')
    done = client.post(f"/records/tasks/{overdue_id}/done", data={"csrf_token": csrf("/my-tasks"), "from": "mine"})
    assert done.status_code == 303 and done.headers["Location"] == "/my-tasks"


def test_database_requires_exactly_one_parent(db_session, make, tenant):
    contact = make.contact(tenant)
    company = make.company(tenant)
    with tenancy.scoped(tenant.id):
        for parents in ({}, {"contact_id": contact.id, "company_id": company.id}):
            with pytest.raises(IntegrityError), db_session.begin_nested():
                db_session.add(Note(body="x", **parents))
                db_session.flush()
        with pytest.raises(IntegrityError), db_session.begin_nested():
            db_session.execute(text("INSERT INTO notes (tenant_id, contact_id, body, created_at) "
                                    "VALUES (:t, :c, '   ', CURRENT_TIMESTAMP)"), {"t": tenant.id, "c": contact.id})


def test_notes_follow_their_record_into_the_trash_and_back(client, make, csrf, tenant, me, db_session):
    contact_id = make.contact(tenant, last_name="Hidden").id
    client.post(f"/records/contact/{contact_id}/notes", data={"csrf_token": csrf("/contacts"), "body": "Keep me"})
    [note] = _notes(db_session, tenant)
    note_id = note.id
    token = csrf("/contacts")
    client.post("/contacts/bulk", data={"csrf_token": token, "action": "trash", "ids": [str(contact_id)]})
    assert client.get(f"/records/notes/{note_id}/edit").status_code == 404
    client.post("/trash/restore", data={"csrf_token": token, "one": f"contact:{contact_id}"})
    assert client.get(f"/records/notes/{note_id}/edit").status_code == 200
    assert "Keep me" in client.get(f"/contacts/{contact_id}").get_data(as_text=True)


def test_erasing_a_contact_deletes_its_notes_and_tasks(db_session, make, tenant):
    contact = make.contact(tenant)
    with tenancy.scoped(tenant.id):
        db_session.add_all([Note(body="x", contact_id=contact.id), Task(title="y", contact_id=contact.id)])
        db_session.flush()
        from webapp.audit import services as audit
        from webapp.crm.models import Contact

        audit.erase(Contact, [contact.id])
        db_session.expire_all()
        assert db_session.scalars(select(Note)).all() == [] and db_session.scalars(select(Task)).all() == []
        rows = db_session.execute(select(AuditEntry.record_type, AuditEntry.action, AuditEntry.changes)
                                  .where(AuditEntry.record_type.in_(["note", "task"]))).all()
    assert sorted((kind, action) for kind, action, _changes in rows) == [
        ("note", "create"), ("note", "erase"), ("task", "create"), ("task", "erase")]
    assert all(changes is None for _kind, _action, changes in rows)  # no note text left in the log


def test_purging_a_company_erases_its_notes_with_it(db_session, make, tenant):
    from datetime import timedelta

    from webapp.audit.purge import Operation, purge_batch
    from webapp.audit.registry import spec_for
    from webapp.crm.models import Company, Contact

    company = make.company(tenant)
    member = make.contact(tenant, company_id=company.id)
    with tenancy.scoped(tenant.id):
        db_session.add(Note(body="secret plan", company_id=company.id))
        db_session.flush()
        from webapp.audit import services as audit

        audit.trash(Company, [company.id])
        op = Operation.start("purge")
        later = clock.now() + timedelta(days=1)
        purge_batch(spec_for(Contact), later, op)
        purge_batch(spec_for(Company), later, op)
        db_session.expire_all()
        assert db_session.scalars(select(Note)).all() == []
        assert db_session.get(Company, company.id) is None and db_session.get(Contact, member.id) is None
        texts = db_session.scalars(select(AuditEntry.changes).where(AuditEntry.record_type == "note")).all()
    assert all(changes is None for changes in texts)


def test_note_edit_page_and_fragment(client, make, csrf, tenant, me, db_session):
    contact = make.contact(tenant)
    with tenancy.scoped(tenant.id):
        note = Note(body="Draft", contact_id=contact.id, author_id=me.id)
        db_session.add(note)
        db_session.flush()
        note_id = note.id
    page = client.get(f"/records/notes/{note_id}/edit")
    assert "<html" in page.get_data(as_text=True) and "HX-Request" in page.headers["Vary"]
    fragment = client.get(f"/records/notes/{note_id}/edit", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<form id="note-edit-form"') and "Draft" in fragment
    bad = client.post(f"/records/notes/{note_id}/edit", data={"csrf_token": csrf("/contacts"), "body": " "})
    assert bad.status_code == 422 and _notes(db_session, tenant)[0].body == "Draft"


def test_row_level_security_confines_raw_sql_on_postgres(db_session, make, tenant):
    if db_session.connection().dialect.name != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    contact = make.contact(tenant)
    other = make.tenant()
    with tenancy.scoped(tenant.id):
        db_session.add_all([Note(body="x", contact_id=contact.id), Task(title="y", contact_id=contact.id)])
        db_session.flush()
    tables = ("notes", "activity_tasks", "crm_settings")
    db_session.execute(text("CREATE ROLE bizalom_rls_probe_a NOLOGIN"))
    db_session.execute(text("GRANT USAGE ON SCHEMA public TO bizalom_rls_probe_a"))
    db_session.execute(text(f"GRANT SELECT ON {', '.join(tables)} TO bizalom_rls_probe_a"))
    db_session.execute(text("SET LOCAL ROLE bizalom_rls_probe_a"))  # superusers bypass RLS
    counts = {}
    for tenant_id in (tenant.id, other.id):
        with tenancy.scoped(tenant_id):
            counts[tenant_id] = [db_session.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
                                 for table in tables]
    assert counts == {tenant.id: [1, 1, 0], other.id: [0, 0, 0]}
