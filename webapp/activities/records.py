"""Notes and tasks are audited records (their own trash entries; see the models' docstring)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.activities.models import Note, Task
from webapp.audit.registry import register

TRASH_LABEL = _l("In the trash since")

register(Note, "note", label=_l("Note"), title=lambda note: note.body[:60], labels={
    "body": _l("Text"), "contact_id": _l("Contact"), "company_id": _l("Company"), "author_id": _l("Author"),
    "updated_at": _l("Edited"), "deleted_at": TRASH_LABEL,
})
register(Task, "task", label=_l("Task"), title=lambda task: task.title, labels={
    "title": _l("Title"), "body": _l("Details"), "due_on": _l("Due"), "assignee_id": _l("Assigned to"),
    "done_at": _l("Done"), "contact_id": _l("Contact"), "company_id": _l("Company"),
    "author_id": _l("Author"), "updated_at": _l("Edited"), "deleted_at": TRASH_LABEL,
})
