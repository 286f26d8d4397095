"""What goes into the files, computed from the data, never written by hand.

The access report: every item the portal's collectors find, each explained by the records of
processing (purpose, legal basis, retention, recipients), plus the person's requests. The portability
file: only what the person *provided* — contact details, what they sent through our forms (newsletter,
workshop, trial), profile answers they gave themselves, and their requests — in named sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select

from webapp import clock
from webapp.dsr.services import of_person
from webapp.extensions import db
from webapp.mydata import services as mydata
from webapp.mydata.sources import person_for


def plain(value) -> str | None:
    """One value as text: times in UTC ISO 8601, dates ISO, None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def access_content(email: str) -> dict:
    items = []
    for entry in mydata.report(email):
        explanation = entry.explanation
        items.append({
            "title": entry.item.title, "category": entry.item.category, "source": entry.item.source or None,
            "fields": [{"label": str(label), "value": plain(value)} for label, value in entry.item.fields],
            "explanation": None if explanation is None else {
                "purpose": explanation["purpose"], "legal_basis": explanation["legal_basis"],
                "legal_basis_article": explanation["legal_basis_article"],
                "retention": {"period": explanation["retention"]["period"],
                              "unit": explanation["retention"]["unit"]},
                "recipients": list(explanation["recipients"]), "transfers": list(explanation["transfers"])},
            "kept_until": plain(entry.kept_until)})
    requests = [{"kind": made.kind, "received_at": plain(made.received_at), "channel": made.channel,
                 "state": made.state, "due_on": plain(made.deadline), "closed_at": plain(made.closed_at)}
                for made in of_person(email)]
    return {"email": email, "generated_at": plain(clock.now()), "items": items, "requests": requests}


@dataclass
class Section:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)


SECTIONS = ("contact", "account", "newsletter", "workshop", "trial", "profile", "requests")
PROFILE_FIELDS = ("problem", "decision_criteria", "interest_area", "industry", "company_type", "decision_role",
                  "position")


def portability_sections(email: str) -> list[Section]:
    person = person_for(email)
    lead, user = person.lead, person.user
    contact = Section("contact", ("name", "email", "phone", "first_contact_through"))
    account = Section("account", ("name", "email", "created_at"))
    newsletter = Section("newsletter", ("form", "channel", "step", "at", "notice_version"))
    workshop = Section("workshop", ("requested_at", "topic"))
    trial = Section("trial", ("signed_up_at", "form", "statement", "given", "at"))
    profile = Section("profile", PROFILE_FIELDS)
    if lead is not None:
        contact.rows.append((lead.name, lead.email, lead.phone, lead.source))
        newsletter.rows.extend(_signups(lead.id))
        workshop.rows.extend(_workshop_requests(lead.id))
        trial.rows.extend(_trial_statements(lead.id))
        profile.rows.extend(_own_profile(lead.id))
    if user is not None:
        account.rows.append((user.name, user.email, user.created_at))
    requests = Section("requests", ("received_at", "kind", "channel", "details"),
                       [(made.received_at, made.kind, made.channel, made.details) for made in of_person(email)])
    return [contact, account, newsletter, workshop, trial, profile, requests]


def _signups(lead_id: int) -> list[tuple]:
    from webapp.newsletter.models import SignupEvidence

    return [(row.form, row.channel, row.step, row.at, row.notice_version) for row in db.session.scalars(
        select(SignupEvidence).where(SignupEvidence.lead_id == lead_id).order_by(SignupEvidence.at))]


def _workshop_requests(lead_id: int) -> list[tuple]:
    from webapp.workshops.models import BookingRequest

    return [(row.created_at, row.topic) for row in db.session.scalars(
        select(BookingRequest).where(BookingRequest.lead_id == lead_id).order_by(BookingRequest.created_at))]


def _trial_statements(lead_id: int) -> list[tuple]:
    from webapp.trials.models import TrialSignup

    rows = []
    for signup in db.session.scalars(select(TrialSignup).where(TrialSignup.lead_id == lead_id)):
        rows.extend((signup.created_at, signup.form, statement.statement, statement.given, statement.at)
                    for statement in signup.statements)
    return rows


def _own_profile(lead_id: int) -> list[tuple]:
    """Profile answers count as provided only when no staff member wrote them."""
    from webapp.profiles.models import LeadProfile

    profile = db.session.get(LeadProfile, lead_id)
    if profile is None or profile.updated_by_id is not None:
        return []
    return [tuple(getattr(profile, name) for name in PROFILE_FIELDS)]
