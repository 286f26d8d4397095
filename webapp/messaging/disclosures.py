"""What leaving the machine means for privacy: each message handed to an outside provider goes into
the transfer log, and a person's contact stop is checked at send time.

Messages the embedded outbox "sends" never leave the machine and are not logged as transfers.
Security codes (sign-in SMS) are not contact in the sense of a contact stop; everything else is.
A restricted person's data is not used for sending either (Art. 18); an objection stops marketing mail.
"""

from __future__ import annotations

from webapp.messaging import settings
from webapp.transfers.services import Disclosure, record_many

SECURITY_PURPOSES = frozenset({"2fa"})
RECIPIENT_SETTING = {"domestic": "SMS_DOMESTIC_RECIPIENT", "international": "SMS_INTERNATIONAL_RECIPIENT",
                     "smtp": "SMTP_RECIPIENT"}


def _recipient(provider: str) -> str | None:
    name = RECIPIENT_SETTING.get(provider)
    return str(settings.get(name)) if name and settings.get(name) else None


def sms_sent(rows: list[tuple[int, str, str, str, int | None]]) -> int:
    """Log (id, number, purpose, provider, user id) of SMS accepted by a provider."""
    disclosures = []
    for sms_id, number, purpose, provider, user_id in rows:
        recipient = _recipient(provider)
        if recipient is None:
            continue
        disclosures.append(Disclosure(
            recipient=recipient, recipient_kind="processor", legal_basis="contract", purpose=f"sms:{purpose}",
            data_description="phone number and text of the message", subject_phone=number,
            subject_user_id=user_id, reference=f"sms:{sms_id}"))
    return record_many(disclosures) if disclosures else 0


def email_sent(email_id: int, address: str, category: str, transport: str, user_id: int | None) -> int:
    recipient = _recipient(transport)
    if recipient is None:
        return 0
    return record_many([Disclosure(
        recipient=recipient, recipient_kind="processor",
        legal_basis="consent" if category == "marketing" else "contract", purpose=f"email:{category}",
        data_description="e-mail address, subject and text of the message", subject_email=address,
        subject_user_id=user_id, reference=f"email:{email_id}")])


def stopped_numbers(numbers: list[str]) -> set[str]:
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.leads.models import Lead

    if not numbers:
        return set()
    blocked = Lead.contact_stopped_at.is_not(None) | Lead.restricted_at.is_not(None)
    return set(db.session.scalars(select(Lead.phone).where(Lead.phone.in_(numbers), blocked)))


def stopped_address(address: str) -> bool:
    """Marketing mail may not reach this address (contact stop, restriction or objection)."""
    from webapp.leads.services import find_by_email, may_market

    lead = find_by_email(address)
    return lead is not None and not may_market(lead)
