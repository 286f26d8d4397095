"""The set-based erasure steps, one per place where the person's data lives. Each returns row counts
by table; none reads a row into Python except the export files it has to unlink.

Order matters: rows naming the person by address or number go first, then the exports of the
person's account, then the account (its sessions, tokens, 2FA and SSO links cascade; authored rows
keep the row and lose the link) and last the lead (newsletter, workshop, trial, legal-basis, call
and profile rows cascade). Cascaded rows are counted before the delete.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from webapp import clock, tenancy
from webapp.erasure.person import Person, table
from webapp.extensions import db

Counts = dict[str, int]


def _add(counts: Counts, name: str, n: int) -> None:
    if n:
        counts[name] = counts.get(name, 0) + n


def _delete(name: str, *conditions, counts: Counts, held: dict[str, set[int]]) -> None:
    t = table(name)
    if t is None or not conditions:
        return
    where = [or_(*conditions)]
    if held.get(name) and "id" in t.c:
        where.append(t.c.id.not_in(sorted(held[name])))
    _add(counts, name, db.session.execute(delete(t).where(*where)).rowcount or 0)


def messages(person: Person, counts: Counts, held: dict[str, set[int]]) -> None:
    """Outbox e-mails and SMS to the person or linked to their account (bodies and addresses)."""
    emails, sms = table("outbox_emails"), table("sms_messages")
    _delete("outbox_emails", func.lower(emails.c.to_address) == person.email,
            *([emails.c.user_id.in_(person.user_ids)] if person.user_ids else []), counts=counts, held=held)
    conditions = []
    if person.phones:
        conditions.append(sms.c.to_number.in_(sorted(person.phones)))
    if person.user_ids:
        conditions.append(sms.c.user_id.in_(person.user_ids))
    _delete("sms_messages", *conditions, counts=counts, held=held)


def records_about(person: Person, counts: Counts, held: dict[str, set[int]]) -> None:
    """Transfer log rows, portal links, invitations and released legal holds naming the person."""
    transfers = table("transfers")
    if transfers is not None:
        named = [transfers.c.subject_email == person.email]
        if person.phones:
            named.append(transfers.c.subject_phone.in_(sorted(person.phones)))
        if person.user_ids:
            named.append(transfers.c.subject_user_id.in_(person.user_ids))
        _delete("transfers", *named, counts=counts, held=held)
    links = table("portal_links")
    if links is not None:
        _delete("portal_links", links.c.email == person.email, counts=counts, held=held)
    invitations = table("invitations")
    _delete("invitations", func.lower(invitations.c.email) == person.email,
            *([invitations.c.user_id.in_(person.user_ids)] if person.user_ids else []), counts=counts, held=held)
    holds = table("legal_holds")
    if holds is not None:  # open holds stop the erasure before this step; released ones go
        mine = [holds.c.email == person.email]
        if person.user_ids:
            mine.append(holds.c.user_id.in_(person.user_ids))
        _add(counts, "legal_holds", db.session.execute(delete(holds).where(
            holds.c.scope == "person", holds.c.released_at.is_not(None), or_(*mine))).rowcount or 0)


def requests(person: Person, counts: Counts, placeholder: str) -> None:
    """The request register keeps that a request was made and answered, not who made it."""
    requests_table = table("data_requests")
    if requests_table is None:
        return
    _add(counts, "data_requests", db.session.execute(
        update(requests_table).where(requests_table.c.email == person.email)
        .values(email=placeholder, identity_note=None, details=None)).rowcount or 0)


def exports(person: Person, counts: Counts) -> None:
    """Export files the person's account asked for: the file is deleted, the record stays as the log."""
    if not person.user_ids or table("exports") is None:
        return
    from webapp.exports.models import ExportRecord
    from webapp.exports.services import file_of

    records = db.session.scalars(tenancy.all_tenants(select(ExportRecord).where(
        ExportRecord.requested_by_id.in_(person.user_ids), ExportRecord.purged_at.is_(None)))).all()
    for record in records:
        path = file_of(record)
        for candidate in (path, path.with_name(path.name + ".part")):
            candidate.unlink(missing_ok=True)
        record.purged_at = clock.now()
    db.session.flush()
    _add(counts, "export_files", len(records))


def consent(person: Person, counts: Counts) -> None:
    """Cookie-consent decisions and raw page views of the consent ids the person gave us."""
    decisions = table("consent_decisions")
    if not person.consent_ids or decisions is None:
        return
    from webapp.analytics.services import erase_consent

    for consent_id in sorted(person.consent_ids):
        _add(counts, "analytics_page_views", erase_consent(consent_id))
    _add(counts, "consent_decisions", db.session.execute(
        delete(decisions).where(decisions.c.consent_id.in_(sorted(person.consent_ids)))).rowcount or 0)


def cascade_counts(parent: str, ids: list[int], counts: Counts) -> None:
    """Count the rows that ``ON DELETE CASCADE`` removes with these parent rows, all levels down."""
    if not ids:
        return
    for child in db.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table.name != parent or fk.ondelete != "CASCADE" or child.name == parent:
                continue
            statement = select(func.count()).select_from(child).where(fk.parent.in_(ids))
            _add(counts, child.name, db.session.scalar(tenancy.all_tenants(statement)) or 0)
            if "id" in child.c:
                child_ids = list(db.session.scalars(tenancy.all_tenants(
                    select(child.c.id).where(fk.parent.in_(ids)))))
                cascade_counts(child.name, child_ids, counts)


def account_and_lead(person: Person, counts: Counts, kept_users: set[int], kept_leads: set[int]) -> None:
    users = [i for i in person.user_ids if i not in kept_users]
    leads = [i for i in person.lead_ids if i not in kept_leads]
    cascade_counts("users", users, counts)
    cascade_counts("leads", leads, counts)
    if users:
        _add(counts, "users", db.session.execute(delete(table("users")).where(table("users").c.id.in_(users)))
             .rowcount or 0)
    if leads:
        _add(counts, "leads", db.session.execute(delete(table("leads")).where(table("leads").c.id.in_(leads)))
             .rowcount or 0)


def draft_invoices(person: Person, counts: Counts) -> None:
    """Unissued invoices are no legal record: they go (their lines cascade)."""
    invoices = table("invoices")
    if invoices is None:
        return
    drafts = list(db.session.scalars(select(invoices.c.id).where(
        invoices.c.state == "draft", func.lower(invoices.c.customer_email) == person.email)))
    if drafts:
        cascade_counts("invoices", drafts, counts)
        _add(counts, "invoices", db.session.execute(delete(invoices).where(invoices.c.id.in_(drafts))).rowcount or 0)


def issued_invoices(person: Person) -> tuple[int, date | None]:
    """Issued invoices addressed to the person (kept: legal obligation) and until when."""
    invoices = table("invoices")
    if invoices is None:
        return 0, None
    count, last = db.session.execute(select(func.count(), func.max(invoices.c.issued_on)).where(
        invoices.c.state == "issued", func.lower(invoices.c.customer_email) == person.email)).one()
    if not count:
        return 0, None
    years = int(current_app.config.get("INVOICE_RETENTION_YEARS", 8))
    try:
        return count, last.replace(year=last.year + years)
    except ValueError:  # 29 February
        return count, last.replace(year=last.year + years, day=28)


def security_log(person: Person, now: datetime) -> tuple[int, date | None]:
    """Security-log entries of the account: kept (a hash chain cannot lose a row in its middle)
    until the chain's retention removes them; how many and the last day they can exist."""
    events = table("security_log")
    if not person.user_ids or events is None:
        return 0, None
    from webapp.seclog.services import retention_days

    days = retention_days()
    rows = db.session.execute(select(events.c.chain, func.count(), func.max(events.c.occurred_at))
                              .where(events.c.user_id.in_(person.user_ids)).group_by(events.c.chain)).all()
    if not rows:
        return 0, None
    until = max(_as_date(last) + timedelta(days=days.get(chain, 365)) for chain, _n, last in rows)
    return sum(n for _chain, n, _last in rows), until


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else datetime.fromisoformat(str(value)).date()
