"""Who is to be erased: the lead and the user account with this e-mail, their phone numbers, the
browser consent ids given to us, and the legal holds in force for them.

Tenant CRM contacts are the tenant's data (we process them on the tenant's behalf): the person is
not looked up there. A tenant's own user account is the person's account with us and is found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from webapp.extensions import db


def table(name: str):
    """The SQLAlchemy table of another feature, by name (None if that feature is not installed)."""
    return db.metadata.tables.get(name)


@dataclass
class Person:
    email: str
    lead_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    phones: set[str] = field(default_factory=set)
    consent_ids: set[str] = field(default_factory=set)

    @property
    def known(self) -> bool:
        return bool(self.lead_ids or self.user_ids)


def phone_forms(phone: str) -> set[str]:
    """The number as stored and in E.164 (outbox and transfer rows store E.164)."""
    import phonenumbers

    from webapp.messaging import settings

    forms = {phone}
    try:
        number = phonenumbers.parse(phone, str(settings.get("SMS_DEFAULT_REGION") or "HU"))
        forms.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    except phonenumbers.NumberParseException:
        pass
    return forms


def find(email: str, consent_ids: tuple[str, ...] | list[str] = ()) -> Person:
    leads, users = table("leads"), table("users")
    person = Person(email=email, consent_ids={c for c in consent_ids if c})
    for lead_id, phone in db.session.execute(select(leads.c.id, leads.c.phone).where(leads.c.email == email)):
        person.lead_ids.append(lead_id)
        if phone:
            person.phones |= phone_forms(phone)
    for user_id, phone in db.session.execute(
            select(users.c.id, users.c.phone).where(func.lower(users.c.email) == email)):
        person.user_ids.append(user_id)
        if phone:
            person.phones |= phone_forms(phone)
    return person


def _open(holds, as_of: datetime):
    return and_(holds.c.released_at.is_(None), or_(holds.c.until.is_(None), holds.c.until > as_of))


def person_holds(person: Person, as_of: datetime) -> list[datetime | None]:
    """The ``until`` of every open person-scope legal hold naming this person (by e-mail or account)."""
    holds = table("legal_holds")
    named = [holds.c.email == person.email]
    if person.user_ids:
        named.append(holds.c.user_id.in_(person.user_ids))
    return list(db.session.scalars(select(holds.c.until).where(
        _open(holds, as_of), holds.c.scope == "person", or_(*named))))


def record_holds(as_of: datetime) -> dict[str, set[int]]:
    """Open record-scope holds by table name."""
    holds = table("legal_holds")
    found: dict[str, set[int]] = {}
    for name, record_id in db.session.execute(select(holds.c.table_name, holds.c.record_id).where(
            _open(holds, as_of), holds.c.scope == "record")):
        found.setdefault(name, set()).add(record_id)
    return found


def children_holding(parent: str, ids: list[int], held: dict[str, set[int]]) -> set[int]:
    """Parents (of ``ids``) that a held child row cascades from: deleting them would delete the child."""
    kept: set[int] = set(ids) & held.get(parent, set())
    for child in db.metadata.sorted_tables:
        if not held.get(child.name) or "id" not in child.c:
            continue
        for fk in child.foreign_keys:
            if fk.column.table.name == parent and fk.ondelete == "CASCADE":
                kept |= set(db.session.scalars(select(fk.parent).where(
                    child.c.id.in_(held[child.name]), fk.parent.in_(ids))))
    return kept
