"""The sub-processor registry: changes with history, and the "notice needs an update" signal."""

from __future__ import annotations

from sqlalchemy import select

from webapp import clock
from webapp.extensions import db
from webapp.subprocessors.models import EDITABLE_FIELDS, Subprocessor, SubprocessorChange


class RegistryError(ValueError):
    """A refused registry change; the message is shown to staff."""


def listing() -> list[Subprocessor]:
    return list(db.session.scalars(select(Subprocessor).order_by(Subprocessor.position, Subprocessor.name)))


def history(limit: int = 200) -> list[SubprocessorChange]:
    return list(db.session.scalars(select(SubprocessorChange)
                                   .order_by(SubprocessorChange.changed_at.desc(), SubprocessorChange.id.desc())
                                   .limit(limit)))


def get(subprocessor_id: int) -> Subprocessor | None:
    return db.session.get(Subprocessor, subprocessor_id)


def _name_taken(name: str, own_id: int | None) -> bool:
    other = db.session.scalars(select(Subprocessor).where(Subprocessor.name == name)).first()
    return other is not None and other.id != own_id


def _record(subprocessor: Subprocessor | None, name: str, action: str, before, after, user) -> None:
    db.session.add(SubprocessorChange(subprocessor_id=subprocessor.id if subprocessor else None,
                                      subprocessor_name=name, action=action, before=before, after=after,
                                      changed_by_id=user.id if user else None, changed_at=clock.now()))


def _clean(values: dict) -> dict:
    cleaned = {field: values[field] for field in EDITABLE_FIELDS if field in values}
    for field, value in cleaned.items():
        if isinstance(value, str):
            cleaned[field] = value.strip()
    return cleaned


def create(values: dict, user) -> Subprocessor:
    values = _clean(values)
    if _name_taken(values["name"], None):
        raise RegistryError("A sub-processor with this name is already listed.")
    subprocessor = Subprocessor(**values)
    db.session.add(subprocessor)
    db.session.flush()
    _record(subprocessor, subprocessor.name, "create", None, subprocessor.snapshot(), user)
    db.session.flush()
    return subprocessor


def update(subprocessor: Subprocessor, values: dict, user) -> bool:
    """Apply the values; returns False (and records nothing) when nothing changed."""
    values = _clean(values)
    if _name_taken(values.get("name", subprocessor.name), subprocessor.id):
        raise RegistryError("A sub-processor with this name is already listed.")
    before = subprocessor.snapshot()
    for field, value in values.items():
        setattr(subprocessor, field, value)
    after = subprocessor.snapshot()
    if after == before:
        return False
    subprocessor.updated_at = clock.now()
    changed = sorted(field for field in after if after[field] != before[field])
    _record(subprocessor, subprocessor.name, "update", {f: before[f] for f in changed},
            {f: after[f] for f in changed}, user)
    db.session.flush()
    return True


def delete(subprocessor: Subprocessor, user) -> None:
    _record(None, subprocessor.name, "delete", subprocessor.snapshot(), None, user)
    db.session.delete(subprocessor)
    db.session.flush()


def last_change_at():
    return db.session.scalar(select(SubprocessorChange.changed_at)
                             .order_by(SubprocessorChange.changed_at.desc()).limit(1))


def notice_needs_update() -> bool:
    """True when the registry changed after the newest published privacy notice (or none exists yet)."""
    from webapp.notices.services import current_version

    changed_at = last_change_at()
    if changed_at is None:
        return False
    current = current_version()
    return current is None or changed_at > current.published_at
