"""The closed set of segment filter keys, their validation, and the one function building a segment's query.

Nothing here decides anything about a person: a segment is a filter staff chose by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, not_, select

from webapp.extensions import db
from webapp.leads.models import LEAD_SOURCES, Lead
from webapp.newsletter.models import STATES, NewsletterSubscription
from webapp.profiles.models import COMPANY_TYPES, DECISION_ROLES, INTEREST_AREAS, LeadProfile

NEWSLETTER_STATES = (*STATES, "none")
CHOICES: dict[str, tuple[str, ...]] = {
    "interest_area": INTEREST_AREAS, "company_type": COMPANY_TYPES, "decision_role": DECISION_ROLES,
    "source": LEAD_SOURCES, "newsletter_state": NEWSLETTER_STATES,
}
TEXTS = ("industry",)
DATES = ("interaction_from", "interaction_to")
KEYS = (*CHOICES, *TEXTS, *DATES)
MAX_TEXT = 100


class InvalidFilter(ValueError):
    """A filter outside the closed set of keys and values."""


def clean(raw: dict) -> dict:
    """The filter with empty values dropped; InvalidFilter for an unknown key or value."""
    if not isinstance(raw, dict):
        raise InvalidFilter("a filter is an object")
    unknown = set(raw) - set(KEYS)
    if unknown:
        raise InvalidFilter(f"unknown filter keys: {sorted(unknown)}")
    cleaned: dict[str, str] = {}
    for key, value in raw.items():
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise InvalidFilter(f"{key}: a text value is expected")
        if key in CHOICES and value not in CHOICES[key]:
            raise InvalidFilter(f"{key}: unknown value")
        if key in TEXTS and (len(value.strip()) > MAX_TEXT or any(ch in value for ch in "\r\n\x00")):
            raise InvalidFilter(f"{key}: too long or not one line")
        if key in DATES:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise InvalidFilter(f"{key}: not a date") from None
        cleaned[key] = value.strip()
    if cleaned.get("interaction_from", "") > cleaned.get("interaction_to", "\uffff"):
        raise InvalidFilter("the period ends before it starts")
    return cleaned


# Who never enters a segment, whatever the filter. Each entry is a SQL predicate over the lead, true
# for people to leave out. The contact stop is the first; a future restriction of processing
# (GDPR Art. 18) or objection (Art. 21) flag joins here with ``exclude(lambda: <predicate>)``.
EXCLUSIONS: list[Callable[[], object]] = [lambda: Lead.contact_stopped_at.is_not(None),
                                           lambda: Lead.restricted_at.is_not(None),
                                           lambda: Lead.marketing_objection_at.is_not(None)]


def exclude(predicate: Callable[[], object]) -> None:
    if predicate not in EXCLUSIONS:
        EXCLUSIONS.append(predicate)


def _day_start(value: str) -> datetime:
    """Dates are UTC days, like the stored times."""
    return datetime.combine(date.fromisoformat(value), time.min, tzinfo=UTC)


def lead_ids(filters: dict) -> Select:
    """SELECT of the ids of leads in the segment (the only place a segment's query is built)."""
    filters = clean(filters)
    stmt = (select(Lead.id).outerjoin(LeadProfile, LeadProfile.lead_id == Lead.id)
            .outerjoin(NewsletterSubscription, NewsletterSubscription.lead_id == Lead.id)
            .where(*(not_(predicate()) for predicate in EXCLUSIONS)))
    for key in ("interest_area", "company_type", "decision_role"):
        if key in filters:
            stmt = stmt.where(getattr(LeadProfile, key) == filters[key])
    if "source" in filters:
        stmt = stmt.where(Lead.source == filters["source"])
    if "industry" in filters:
        stmt = stmt.where(func.lower(LeadProfile.industry) == filters["industry"].lower())
    state = filters.get("newsletter_state")
    if state == "none":
        stmt = stmt.where(NewsletterSubscription.id.is_(None))
    elif state:
        stmt = stmt.where(NewsletterSubscription.state == state)
    if "interaction_from" in filters:
        stmt = stmt.where(Lead.last_interaction_at >= _day_start(filters["interaction_from"]))
    if "interaction_to" in filters:
        stmt = stmt.where(Lead.last_interaction_at < _day_start(filters["interaction_to"]) + timedelta(days=1))
    return stmt


def count(filters: dict) -> int:
    return db.session.scalar(select(func.count()).select_from(lead_ids(filters).subquery()))

