"""Notes and tasks on a contact or company: add, edit (own notes), complete, delete (to the trash).

Only live records of live parents are reachable; everything is tenant-scoped by webapp.tenancy.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, select

from webapp import clock
from webapp.activities.models import Note, Task
from webapp.crm.models import Company, Contact
from webapp.extensions import db

PARENTS = {"contact": Contact, "company": Company}
MY_TASKS_LIMIT = 200


def parent(kind: str, record_id: int):
    """The live contact or company, or None."""
    model = PARENTS.get(kind)
    if model is None:
        return None
    record = db.session.scalar(select(model).where(model.id == record_id))
    return record if record is not None and record.deleted_at is None else None


def _attach(item, kind: str, record_id: int) -> None:
    if kind == "contact":
        item.contact_id = record_id
    else:
        item.company_id = record_id


def add_note(kind: str, record_id: int, body: str, author_id: int) -> Note:
    note = Note(body=body.strip(), author_id=author_id)
    _attach(note, kind, record_id)
    db.session.add(note)
    db.session.flush()
    return note


def _live(model, item_id: int):
    item = db.session.scalar(select(model).where(model.id == item_id))
    if item is None or item.deleted_at is not None:
        return None
    kind, record_id = item.parent_key
    return item if parent(kind, record_id) is not None else None


def get_note(note_id: int) -> Note | None:
    return _live(Note, note_id)


def get_task(task_id: int) -> Task | None:
    return _live(Task, task_id)


def can_edit(note: Note, user_id: int) -> bool:
    return note.author_id is not None and note.author_id == user_id


def update_note(note: Note, body: str) -> Note:
    if note.body != body.strip():
        note.body = body.strip()
        note.updated_at = clock.now()
    db.session.flush()
    return note


def delete(model, item_id: int) -> int:
    """To the trash (restorable from /trash)."""
    from webapp.audit import services as audit

    return audit.trash(model, [item_id])


def add_task(kind: str, record_id: int, title: str, due_on: date | None, assignee_id: int | None,
             author_id: int) -> Task:
    task = Task(title=title.strip(), due_on=due_on, assignee_id=assignee_id, author_id=author_id)
    _attach(task, kind, record_id)
    db.session.add(task)
    db.session.flush()
    return task


def set_done(task: Task, done: bool) -> Task:
    if done and task.done_at is None:
        task.done_at = clock.now()
    elif not done:
        task.done_at = None
    db.session.flush()
    return task


def _live_parent_filter():
    live_contact = Task.contact_id.in_(select(Contact.id).where(Contact.deleted_at.is_(None)))
    live_company = Task.company_id.in_(select(Company.id).where(Company.deleted_at.is_(None)))
    return live_contact | live_company


def my_tasks(user_id: int) -> list[Task]:
    """Open tasks assigned to the user: overdue first, then by due date (undated last), oldest first."""
    today = clock.now().date()
    overdue = case((Task.due_on < today, 0), else_=1)
    undated = case((Task.due_on.is_(None), 1), else_=0)
    statement = (select(Task).where(Task.assignee_id == user_id, Task.done_at.is_(None),
                                    Task.deleted_at.is_(None), _live_parent_filter())
                 .order_by(overdue, undated, Task.due_on, Task.created_at, Task.id).limit(MY_TASKS_LIMIT))
    return list(db.session.scalars(statement))


def titles_of(tasks: list[Task]) -> dict[tuple[str, int], str]:
    """Names of the records the tasks belong to (one query per kind)."""
    found: dict[tuple[str, int], str] = {}
    contact_ids = {t.contact_id for t in tasks if t.contact_id}
    company_ids = {t.company_id for t in tasks if t.company_id}
    if contact_ids:
        for contact in db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids))):
            found[("contact", contact.id)] = contact.full_name
    if company_ids:
        for company in db.session.scalars(select(Company).where(Company.id.in_(company_ids))):
            found[("company", company.id)] = company.name
    return found
