"""Notes and tasks go with their record when it is deleted for good (purge, erasure, bulk delete).

Before a DELETE of contacts or companies runs, their notes and tasks are erased through the audit
services (one ``erase`` row each, the values removed from their history): the database's
``ON DELETE CASCADE`` then finds nothing left, and the audit log keeps no note text of a record
that no longer exists. Unit-of-work deletes (``session.delete``) still rely on the cascade alone.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session

from webapp.activities.models import Note, Task
from webapp.crm.models import Company, Contact

NOTE = "deleted with its record"
COLUMNS = {Contact: "contact_id", Company: "company_id"}


def _before_parent_delete(state: ORMExecuteState) -> None:
    if not state.is_delete or state.bind_mapper is None:
        return
    model = state.bind_mapper.class_
    if model not in COLUMNS:
        return
    from webapp.audit.purge import erase

    where = state.statement.whereclause
    parents = select(model.id) if where is None else select(model.id).where(where)
    for child in (Note, Task):
        column = getattr(child, COLUMNS[model])
        ids = state.session.scalars(select(child.id).where(column.in_(parents))).all()
        if ids:
            erase(child, ids, note=NOTE)


def install() -> None:
    """After the audit hooks: the statements this runs are audited like any other."""
    if not event.contains(Session, "do_orm_execute", _before_parent_delete):
        event.listen(Session, "do_orm_execute", _before_parent_delete)
