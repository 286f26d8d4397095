"""The replay list: every erasure is applied again after a backup restore.

The receipts hold a keyed hash of each erased address, never the address. Replay hashes every
address the database holds (leads, accounts, invitations, outbox, transfer log, portal links) and
erases those whose hash is on the list, without a new notice to the person.
"""

from __future__ import annotations

from sqlalchemy import func, select

from webapp.erasure import services
from webapp.erasure.models import ErasureReceipt
from webapp.erasure.person import table
from webapp.extensions import db

ADDRESS_COLUMNS = (("leads", "email"), ("users", "email"), ("invitations", "email"), ("outbox_emails", "to_address"),
                   ("transfers", "subject_email"), ("portal_links", "email"), ("data_requests", "email"),
                   ("subject_reports", "email"))


def erased_hashes() -> set[str]:
    return set(db.session.scalars(select(ErasureReceipt.subject_hash).where(ErasureReceipt.kind == "erasure")))


def held_addresses():
    """Every distinct address in the places that name a person, streamed per table."""
    for name, column in ADDRESS_COLUMNS:
        t = table(name)
        if t is None:
            continue
        query = select(func.lower(t.c[column])).distinct().where(t.c[column].is_not(None))
        if name == "outbox_emails":  # a notice not yet sent is not a restored copy
            query = query.where(t.c.id.not_in(select(ErasureReceipt.notice_email_id).where(
                ErasureReceipt.notice_email_id.is_not(None))))
        yield from db.session.scalars(query)


def to_replay() -> list[str]:
    hashes = erased_hashes()
    if not hashes:
        return []
    found = {address for address in held_addresses()
             if address != services.REQUEST_PLACEHOLDER and services.subject_hash(address) in hashes}
    return sorted(found)


def replay(actor_id: int | None = None) -> list[ErasureReceipt]:
    """Erase again every listed person found in the database; one replay receipt per person. The
    caller commits."""
    services.scrub_sent_notices()
    return [services.erase(address, actor_id=actor_id, notify=False, kind="replay") for address in to_replay()]
