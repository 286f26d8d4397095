"""Reading and editing marketing profiles; the staff's lead list (search, keyset paging) and record."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from webapp import clock
from webapp.extensions import db
from webapp.leads.models import Lead
from webapp.profiles.models import LeadProfile

PAGE_SIZE = 50
MAX_QUERY = 100


def profile_of(lead_id: int) -> LeadProfile | None:
    return db.session.get(LeadProfile, lead_id)


def update(lead: Lead, values: dict[str, str | None], user_id: int | None) -> LeadProfile:
    """Store the profile (created on first edit); changing it is not an interaction of the lead."""
    profile = profile_of(lead.id)
    if profile is None:
        profile = LeadProfile(lead_id=lead.id, updated_at=clock.now())
        db.session.add(profile)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.updated_at, profile.updated_by_id = clock.now(), user_id
    db.session.flush()
    return profile


@dataclass
class LeadPage:
    leads: list[Lead]
    query: str
    next_after: int | None


def _like(query: str) -> str:
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def lead_page(query: str = "", after: int | None = None) -> LeadPage:
    """Newest leads first, PAGE_SIZE at a time; ``after`` is the last id of the previous page."""
    query = (query or "").strip()[:MAX_QUERY]
    stmt = select(Lead).order_by(Lead.id.desc()).limit(PAGE_SIZE + 1)
    if query:
        pattern = _like(query)
        stmt = stmt.where(or_(func.lower(Lead.name).like(pattern, escape="\\"),
                              Lead.email.like(pattern, escape="\\")))
    if after is not None:
        stmt = stmt.where(Lead.id < after)
    rows = list(db.session.scalars(stmt))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return LeadPage(rows, query, rows[-1].id if more else None)
