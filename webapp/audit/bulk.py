"""ORM bulk INSERT, UPDATE and DELETE statements on audited models are audited, not trusted.

``session.execute(insert(Contact), [dict, ...])`` gets ``RETURNING`` of the id, tenant and audited
columns added and one ``create`` row per record is written from them (the caller receives those
rows). An INSERT with its own RETURNING must return the id (or the entity); its rows are read back.
Rows for a tenant other than the one in scope are refused.

``session.execute(update(Contact).where(...).values(...))`` (inside a tenant) is run like this:
the matching rows' audited columns are read first (``FOR UPDATE`` on PostgreSQL), the statement
runs, the same rows are read again, and one audit row per changed record is written (``update``,
or ``trash``/``restore`` when ``deleted_at`` moved). A bulk ``delete(Contact)`` writes one ``erase``
row per record, unlinks (audited) the children first and removes the values from their history.
All rows of one statement share a batch id.

Refused with ``UnauditedWriteError`` (they could not be audited correctly):
- INSERT/UPDATE/DELETE on an audited *table* without the ORM entity (``update(Contact.__table__)``),
  which the tenant scope does not cover either;
- an ORM bulk INSERT whose own RETURNING leaves out the id;
- a cross-tenant (``tenancy.all_tenants``) bulk statement on an audited model: system jobs run
  such work per tenant inside ``tenancy.scoped`` (as ``workers.audit.purge_trash`` does).
INSERT/UPDATE/DELETE statements on ``audit_log`` itself raise ``AuditImmutableError``.

Statements carrying the ``audited`` execution option (``webapp.audit.trash``, which writes its own
richer rows) pass untouched. Raw SQL text is not seen here: on PostgreSQL row-level security and
the append-only triggers still apply, but its changes are not audited.
"""

from __future__ import annotations

from sqlalchemy import FromClause, event, select, true
from sqlalchemy.orm import ORMExecuteState, Session

from webapp import tenancy
from webapp.audit import capture, purge, registry, trash
from webapp.audit.capture import AUDITED, LOG, AuditImmutableError


class UnauditedWriteError(RuntimeError):
    """A bulk statement would change audited records in a way that cannot be audited."""


def _snapshot(session: Session, spec: registry.Spec, criteria, with_tenant: bool = False) -> dict[int, tuple]:
    m = spec.model
    columns = [m.tenant_id] if with_tenant else []
    statement = select(m.id, *columns, *(getattr(m, key) for key in spec.fields)).order_by(m.id).with_for_update()
    return {row[0]: tuple(row[1:]) for row in session.execute(statement.where(criteria))}


def _diff(keys: tuple[str, ...], before: tuple, after: tuple) -> dict:
    pairs = ((key, capture.plain(old), capture.plain(new)) for key, old, new in zip(keys, before, after, strict=True))
    return {key: [old, new] for key, old, new in pairs if old != new}


def _audit_update(state: ORMExecuteState, spec: registry.Spec):
    where = state.statement.whereclause
    before = _snapshot(state.session, spec, where if where is not None else true())
    result = state.invoke_statement()
    op, rows = trash.Operation.start("update"), []
    for chunk in trash.chunks(before):
        for record_id, after in _snapshot(state.session, spec, spec.model.id.in_(chunk)).items():
            if changes := _diff(spec.fields, before[record_id], after):
                rows.append(capture.row(op.base, spec, record_id, capture.update_action(changes), changes,
                                        batch_id=op.batch))
    capture.write(state.session, rows)
    return result


def _audit_delete(state: ORMExecuteState, spec: registry.Spec):
    m, where = spec.model, state.statement.whereclause
    ids = list(state.session.scalars(select(m.id).where(where if where is not None else true())
                                     .order_by(m.id).with_for_update()))
    op = trash.Operation.start("erase", note="bulk delete")
    for chunk in trash.chunks(ids):
        purge.unlink_children(spec, chunk, op)
    result = state.invoke_statement()
    for chunk in trash.chunks(ids):
        capture.redact(state.session, op.base["tenant_id"], spec, chunk)
        op.write(spec, [(record_id, None, None) for record_id in chunk])
    return result


def _returned_id(statement, model: type):
    """Where the id is in the rows of an INSERT that has its own RETURNING."""
    table = model.__table__
    for index, element in enumerate(statement._returning):
        if isinstance(element, FromClause) and getattr(element, "name", None) == table.name:  # the entity
            return lambda row, i=index: row[i].id
        if getattr(element, "table", None) is table and getattr(element, "key", None) == "id":
            return lambda row, i=index: row[i]
    raise UnauditedWriteError("a bulk INSERT of audited records with RETURNING must return the id")


def _created_rows(state: ORMExecuteState, spec: registry.Spec) -> tuple[object, list[tuple]]:
    """Run the INSERT; (result for the caller, [(id, tenant_id, *audited values)])."""
    m = spec.model
    if not getattr(state.statement, "_returning", ()):
        columns = (m.id, m.tenant_id, *(getattr(m, key) for key in spec.fields))
        frozen = state.invoke_statement(
            statement=state.statement.returning(*columns, sort_by_parameter_order=True)).freeze()
        return frozen, [tuple(row) for row in frozen().all()]
    pick = _returned_id(state.statement, m)
    frozen = state.invoke_statement().freeze()
    ids = [pick(row) for row in frozen().all()]
    found = {}
    for chunk in trash.chunks(ids):
        found |= _snapshot(state.session, spec, m.id.in_(chunk), with_tenant=True)
    if set(ids) - set(found):
        raise UnauditedWriteError("bulk INSERT of records outside the tenant in scope")
    return frozen, [(record_id, *found[record_id]) for record_id in ids]


def _audit_insert(state: ORMExecuteState, spec: registry.Spec):
    tenant_id = tenancy.current_tenant_id(state.session)
    frozen, created = _created_rows(state, spec)
    base, rows = capture.stamp(state.session), []
    for record_id, owner, *values in created:
        if owner != tenant_id:
            raise UnauditedWriteError("bulk INSERT of records outside the tenant in scope")
        changes = {key: [None, capture.plain(value)] for key, value in zip(spec.fields, values, strict=True)
                   if value is not None}
        rows.append(capture.row(base, spec, record_id, "create", changes, tenant_id=owner))
    capture.write(state.session, rows)
    return frozen()


def _audit_bulk(state: ORMExecuteState):
    if not (state.is_insert or state.is_update or state.is_delete) or state.execution_options.get(AUDITED):
        return None
    mapper = state.bind_mapper
    table = getattr(state.statement, "table", None)
    if table is LOG or (mapper is not None and mapper.local_table is LOG):
        raise AuditImmutableError("audit rows are written only by webapp.audit and never changed")
    spec = registry.spec_of(mapper.class_) if mapper is not None else None
    if spec is None:
        if table in registry.tables():
            raise UnauditedWriteError(f"Core INSERT/UPDATE/DELETE on {table.name} cannot be audited; "
                                      "use an ORM statement or webapp.audit.services")
        return None
    if state.is_insert:
        return _audit_insert(state, spec)
    if state.execution_options.get(tenancy.BYPASS_OPTION):
        raise UnauditedWriteError("cross-tenant bulk change of audited records: run it per tenant "
                                  "inside tenancy.scoped, or use webapp.audit.services")
    return _audit_update(state, spec) if state.is_update else _audit_delete(state, spec)


def install() -> None:
    """After ``tenancy.install``: the statement seen here already carries the tenant scope."""
    if not event.contains(Session, "do_orm_execute", _audit_bulk):
        event.listen(Session, "do_orm_execute", _audit_bulk)
