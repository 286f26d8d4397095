"""Erase a person everywhere, keep only what a coded ground requires, write a receipt, tell the person.

Grounds (codes in the receipt and the DSR outcome):

- ``legal_obligation``: issued invoices addressed to the person stay until the invoice retention ends.
- ``legal_claims``: an open legal hold. A person-scope hold refuses the whole erasure; a record-scope
  hold keeps that row (and the lead or account it cascades from).
- ``security_log_integrity``: the hash-chained security log cannot lose a row in its middle; the
  entries of the erased account (a bare account number, a browser id, keyed e-mail pseudonyms) stay
  until the chain's retention deletes its oldest prefix.
- ``freedom_of_expression``: reserved; no data uses it today.

Not erased, by design: tenant CRM contacts (the tenant's data, we are its processor; the tenant erases
them through the CRM), trial tenants the person administered (the company's data, left to the trial's
retention clock), notes the person wrote in a tenant (they lose the author link). Consent decisions and
page views are keyed by a browser cookie id, not an address: they are erased for the consent ids given.

The notice to the person is the one remainder: it is queued after the erasure to the address held in
memory, and its outbox row is deleted once sent (``scrub_sent_notices``, run before every erasure and
by ``flask erasure replay``).
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import delete, select

from webapp import clock, crypto
from webapp.erasure import person as people
from webapp.erasure import steps
from webapp.erasure.models import ErasureReceipt
from webapp.extensions import db
from webapp.messaging.services import queue_email

GROUNDS = ("legal_obligation", "legal_claims", "freedom_of_expression", "security_log_integrity")
HASH_PURPOSE = "erasure-subject"
REQUEST_PLACEHOLDER = "erased@erasure.invalid"
PARTIAL_GROUNDS = ("legal_obligation", "legal_claims", "freedom_of_expression")


def normalize(email: str) -> str:
    return (email or "").strip().lower()


def subject_hash(email: str) -> str:
    return crypto.keyed_hash(HASH_PURPOSE, normalize(email))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def erase(email: str, *, request_id: int | None = None, actor_id: int | None = None,
          consent_ids: tuple[str, ...] | list[str] = (), notify: bool = True, kind: str = "erasure") -> ErasureReceipt:
    """Erase everything about the person with this address; the receipt says what was kept and why.

    Set-based, in the caller's transaction (the caller commits once)."""
    email = normalize(email)
    if not email:
        raise ValueError("an e-mail address is required")
    now = clock.now()
    scrub_sent_notices()
    person = people.find(email, consent_ids)
    counts: dict[str, int] = {}
    grounds: dict[str, dict] = {}
    holds = people.person_holds(person, now)
    if holds:
        untils = [h for h in holds if h is not None]
        grounds["legal_claims"] = {"scope": "person",
                                   "until": None if len(untils) < len(holds) else max(untils).date().isoformat()}
    else:
        _erase_all(person, counts, grounds, now)
    invoices, invoices_until = steps.issued_invoices(person)
    if invoices:
        grounds["legal_obligation"] = {"tables": {"invoices": invoices}, "until": _iso(invoices_until)}
    entries, entries_until = steps.security_log(person, now)
    if entries:
        grounds["security_log_integrity"] = {"tables": {"security_log": entries}, "until": _iso(entries_until)}
    receipt = ErasureReceipt(kind=kind, at=now, request_id=request_id, actor_id=actor_id,
                             subject_hash=subject_hash(email), outcome=_outcome(counts, grounds),
                             counts=counts, grounds=grounds)
    db.session.add(receipt)
    db.session.flush()
    if notify:
        receipt.notice_email_id = _notify(email, receipt).id
        db.session.flush()
    return receipt


def _erase_all(person: people.Person, counts: dict[str, int], grounds: dict[str, dict], now) -> None:
    held = people.record_holds(now)
    kept_users = people.children_holding("users", person.user_ids, held)
    kept_leads = people.children_holding("leads", person.lead_ids, held)
    notices = set(db.session.scalars(select(ErasureReceipt.notice_email_id).where(
        ErasureReceipt.notice_email_id.is_not(None))))  # an earlier notice not yet sent stays
    steps.messages(person, counts, {**held, "outbox_emails": held.get("outbox_emails", set()) | notices})
    steps.records_about(person, counts, held)
    steps.exports(person, counts)
    from webapp.reports.services import erase_for

    counts["subject_reports"] = erase_for(person.email)
    steps.consent(person, counts)
    steps.draft_invoices(person, counts)
    steps.account_and_lead(person, counts, kept_users, kept_leads)
    steps.requests(person, counts, REQUEST_PLACEHOLDER)
    if kept_users or kept_leads:
        grounds["legal_claims"] = {"scope": "record",
                                   "tables": {name: len(ids) for name, ids in
                                              (("users", kept_users), ("leads", kept_leads)) if ids}}


def _outcome(counts: dict[str, int], grounds: dict[str, dict]) -> str:
    if grounds.get("legal_claims", {}).get("scope") == "person":
        return "refused"
    if any(code in grounds for code in PARTIAL_GROUNDS):
        return "partial"
    return "complete" if counts or grounds else "nothing"


def ground_lines(grounds: dict[str, dict]) -> list[str]:
    """What was kept and why, one sentence per ground (for the person and for staff)."""
    lines = []
    for code in GROUNDS:
        ground = grounds.get(code)
        if ground is None:
            continue
        until = ground.get("until")
        until_text = format_date(date.fromisoformat(until), "long") if until else _("the hold is released")
        if code == "legal_obligation":
            lines.append(_("Invoices addressed to you (%(n)s): the law on accounting records requires us to keep "
                           "them until %(until)s.", n=ground["tables"]["invoices"], until=until_text))
        elif code == "legal_claims" and ground.get("scope") == "person":
            lines.append(_("All data about you, because it is needed for a legal claim; it stays until "
                           "%(until)s. We will erase it then if you still wish.", until=until_text))
        elif code == "legal_claims":
            lines.append(_("Some records needed for a legal claim, until the hold on them is released."))
        elif code == "security_log_integrity":
            lines.append(_("Entries of your former account in our tamper-evident security log (no name, address "
                           "or phone number); they are deleted automatically by %(until)s.", until=until_text))
        else:
            lines.append(_("Data kept for the freedom of expression and information."))
    return lines


def _notify(email: str, receipt: ErasureReceipt):
    lines = ground_lines(receipt.grounds)
    if receipt.outcome == "refused":
        body = _("Hello,\n\nwe received your request to erase your data. We cannot erase it yet:\n\n%(lines)s\n\n"
                 "Reference: erasure receipt %(id)s.", lines="\n".join(f"- {line}" for line in lines), id=receipt.id)
    elif lines:
        body = _("Hello,\n\nwe erased the data we held about you. We had to keep the following, for the reason "
                 "given:\n\n%(lines)s\n\nReference: erasure receipt %(id)s.",
                 lines="\n".join(f"- {line}" for line in lines), id=receipt.id)
    elif receipt.outcome == "nothing":
        body = _("Hello,\n\nwe received your request to erase your data. We hold no data about this address. "
                 "Reference: erasure receipt %(id)s.", id=receipt.id)
    else:
        body = _("Hello,\n\nwe erased all data we held about you. Reference: erasure receipt %(id)s.", id=receipt.id)
    return queue_email(email, _("Your erasure request"), body)


def scrub_sent_notices() -> int:
    """Delete the outbox rows of erasure notices that were sent (or finally failed): the address and
    the text go; the receipt keeps only the row's former id."""
    from webapp.messaging.models import OutboxEmail

    notices = select(ErasureReceipt.notice_email_id).where(ErasureReceipt.notice_email_id.is_not(None))
    done = list(db.session.scalars(select(OutboxEmail.id).where(OutboxEmail.id.in_(notices),
                                                                OutboxEmail.state.in_(("sent", "failed")))))
    if not done:
        return 0
    transfers = people.table("transfers")
    if transfers is not None:  # the relay logged the hand-over to the mail provider, naming the address
        db.session.execute(delete(transfers).where(transfers.c.reference.in_([f"email:{i}" for i in done])))
    return db.session.execute(delete(OutboxEmail).where(OutboxEmail.id.in_(done))).rowcount or 0


def outcome_text(receipt: ErasureReceipt) -> str:
    """The request's closing note: codes and dates only, no personal data."""
    kept = "; ".join(f"{code} until {ground.get('until') or 'released'}" for code, ground in receipt.grounds.items())
    if receipt.outcome == "refused":
        return f"Erasure refused (receipt {receipt.id}): {kept}."
    if receipt.outcome == "partial":
        return f"Erased, partly (receipt {receipt.id}); kept: {kept}."
    if kept:
        return f"Erased (receipt {receipt.id}); kept: {kept}."
    return f"Erased (receipt {receipt.id})."
