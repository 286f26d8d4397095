"""Which models are audited and how their trash cascades.

A model becomes audited by one ``register()`` call (CRM records: ``webapp.audit.records``;
notes, tasks, custom field values later add theirs in the same way)::

    register(Note, "note", title=lambda note: note.subject, parent=("contact_id", Contact))

From then on the flush hooks record every create, update and delete of it, ORM bulk UPDATE and
DELETE statements on it are refused unless they come from ``webapp.audit.trash`` (which writes
the rows itself), and, when it has a ``deleted_at`` column, the trash services handle it.

``parent``: the foreign key to the record this one belongs to. Trashing a parent trashes its live
children in the same batch; restoring a child whose parent is in the trash restores the parent;
erasing or purging a parent first unlinks (audited) the children that remain.
Parents must be registered before their children.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import event

EXCLUDED_FIELDS = frozenset({"id", "tenant_id", "created_at"})


@dataclass(eq=False)
class Spec:
    model: type
    name: str
    label: object
    title: Callable[[object], str]
    parent: tuple[str, Spec] | None = None
    labels: Mapping[str, object] = field(default_factory=dict)
    fields: tuple[str, ...] = ()

    @property
    def trashable(self) -> bool:
        return "deleted_at" in self.fields

    @property
    def parent_column(self):
        return getattr(self.model, self.parent[0])

    def field_label(self, key: str) -> object:
        return self.labels.get(key, key)

    def label_of(self, record_id: int) -> str:
        return f"{self.name}:{record_id}"


_SPECS: dict[type, Spec] = {}


def _remember_old_value(_target, _value, _oldvalue, _initiator) -> None:
    """No-op; listening with ``active_history`` makes SQLAlchemy load the replaced value."""


def register(model: type, name: str, *, label: object, title: Callable[[object], str],
             parent: tuple[str, type] | None = None, labels: Mapping[str, object] | None = None) -> Spec:
    """Declare ``model`` audited under the record type ``name``."""
    if model in _SPECS:
        return _SPECS[model]
    if any(spec.name == name for spec in _SPECS.values()):
        raise ValueError(f"record type {name!r} is registered twice")
    fields = tuple(c.key for c in model.__table__.columns if c.key not in EXCLUDED_FIELDS)
    parent_spec = None
    if parent is not None:
        if parent[1] not in _SPECS:
            raise ValueError(f"register {parent[1].__name__} before its child {model.__name__}")
        parent_spec = (parent[0], _SPECS[parent[1]])
    for key in fields:  # the old value is loaded before a change, so "before" is never a guess
        attribute = getattr(model, key)
        if not event.contains(attribute, "set", _remember_old_value):
            event.listen(attribute, "set", _remember_old_value, active_history=True)
    spec = Spec(model, name, label, title, parent_spec, dict(labels or {}), fields)
    _SPECS[model] = spec
    return spec


def spec_of(obj_or_model) -> Spec | None:
    cls = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in cls.__mro__:
        if klass in _SPECS:
            return _SPECS[klass]
    return None


def spec_for(model: type) -> Spec:
    spec = spec_of(model)
    if spec is None:
        raise LookupError(f"{model.__name__} is not audited (see webapp.audit.registry.register)")
    return spec


def by_name(name: str) -> Spec | None:
    return next((spec for spec in _SPECS.values() if spec.name == name), None)


def specs() -> list[Spec]:
    """In registration order: parents before children."""
    return list(_SPECS.values())


def children_of(spec: Spec) -> list[Spec]:
    return [child for child in _SPECS.values() if child.parent and child.parent[1] is spec]


def tables() -> frozenset:
    return frozenset(spec.model.__table__ for spec in _SPECS.values())
