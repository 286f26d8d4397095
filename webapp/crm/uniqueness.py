"""Unique contact e-mail addresses per tenant, where the tenant turns it on.

The database enforces it: a trigger (migration 0012) fills ``contacts.email_key`` with
lower(email) in tenants whose ``crm_settings.unique_email`` is on, and a unique index on
(tenant_id, email_key) refuses a second contact with the same address, whoever writes it.
Trashed contacts keep their key (a restore never collides). The functions here let forms and the
import say "already exists" before the database has to refuse.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, text

from webapp import clock, tenancy
from webapp.crm.models import Contact, CrmSettings
from webapp.extensions import db

DUPLICATES_SHOWN = 50
CHUNK = 500


def settings() -> CrmSettings | None:
    return db.session.scalar(select(CrmSettings))


def unique_email_enabled() -> bool:
    row = settings()
    return bool(row and row.unique_email)


def duplicates(limit: int = DUPLICATES_SHOWN) -> list[tuple[str, int]]:
    """E-mail addresses (lower case) that more than one contact has, trashed ones included."""
    key = func.lower(Contact.email)
    return [(email, count) for email, count in db.session.execute(
        select(key, func.count(Contact.id)).where(Contact.email.is_not(None)).group_by(key)
        .having(func.count(Contact.id) > 1).order_by(key).limit(limit))]


def set_unique_email(enabled: bool) -> list[tuple[str, int]]:
    """Turn the option on or off. Refused (nothing changed) while duplicates exist: returns them."""
    if enabled:
        found = duplicates()
        if found:
            return found
    row = settings() or CrmSettings()
    if row.unique_email == enabled and row.id is not None:
        return []
    row.unique_email = enabled
    row.changed_at = clock.now()
    db.session.add(row)
    db.session.flush()
    # The trigger recomputes the key of every row this touches (a derived column, not audited).
    # Raw SQL is not tenant-scoped by the ORM, so the tenant is named here (RLS confines it too).
    db.session.execute(text("UPDATE contacts SET email_key = NULL WHERE tenant_id = :tenant"),
                       {"tenant": tenancy.current_tenant_id()})
    return []


def email_taken(email: str | None, exclude_id: int | None = None) -> bool:
    """Would this address collide under the tenant's unique e-mail option?"""
    if not email or not unique_email_enabled():
        return False
    statement = select(Contact.id).where(func.lower(Contact.email) == email.lower())
    if exclude_id is not None:
        statement = statement.where(Contact.id != exclude_id)
    return db.session.scalar(statement.limit(1)) is not None


def emails_taken(emails: Iterable[str]) -> set[str]:
    """For imports: which of these addresses (compared in lower case) the tenant's contacts already
    have, when the option is on; empty when it is off. Duplicates within the batch are the caller's."""
    if not unique_email_enabled():
        return set()
    wanted = sorted({e.lower() for e in emails if e})
    taken: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        taken.update(db.session.scalars(select(func.lower(Contact.email))
                                        .where(func.lower(Contact.email).in_(chunk))))
    return taken
