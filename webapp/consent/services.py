"""Consent for the current request, and recording decisions as evidence.

Other features ask ``granted(category)`` (False without a valid consent; marketing is False under
Global Privacy Control) and ``consent_id()``. Templates use ``consent_granted(category)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app, g, has_request_context, request
from sqlalchemy import select

from webapp import clock
from webapp.consent import catalogue, cookies
from webapp.consent.models import ConsentDecision
from webapp.extensions import db


class ConsentInputError(ValueError):
    """A decision named an unknown category or service, or sent oversized values."""


@dataclass
class State:
    consent_id: str | None = None
    decision: ConsentDecision | None = None
    valid: bool = False
    reprompt: tuple[str, ...] = field(default_factory=tuple)


def gpc() -> bool:
    """The browser sends the Global Privacy Control signal."""
    return has_request_context() and request.headers.get("Sec-GPC", "").strip() == "1"


def latest_decision(consent_id: str) -> ConsentDecision | None:
    return db.session.scalars(select(ConsentDecision).where(ConsentDecision.consent_id == consent_id)
                              .order_by(ConsentDecision.decided_at.desc(), ConsentDecision.id.desc())
                              .limit(1)).first()


def _changed_since(number: int | None) -> set[str]:
    """Consent categories whose purposes any notice published after version ``number`` changes.

    One light query (numbers and categories only, never the notice texts)."""
    try:
        from webapp.notices.models import NoticeVersion
    except ImportError:
        return set()
    changed = set()
    for categories in db.session.scalars(select(NoticeVersion.changed_categories).where(
            NoticeVersion.state == "published", NoticeVersion.number > (number or 0))):
        changed |= set(categories or ())
    return changed


def _compute_state() -> State:
    consent_id = cookies.read_consent_id()
    if consent_id is None:
        return State()
    decision = latest_decision(consent_id)
    if decision is None or decision.expires_at <= clock.now():
        return State(consent_id=consent_id, decision=decision)
    decided = set(decision.categories) & set(catalogue.OPTIONAL_CATEGORIES)
    reprompt = tuple(c for c in catalogue.OPTIONAL_CATEGORIES
                     if c in decided & _changed_since(decision.notice_number))
    return State(consent_id=consent_id, decision=decision, valid=True, reprompt=reprompt)


def state() -> State:
    if not has_request_context():
        return State()
    if "consent_state" not in g:
        g.consent_state = _compute_state()
    return g.consent_state


def forget_state() -> None:
    g.pop("consent_state", None)


def granted(category: str) -> bool:
    """Whether the current visitor consented to this category (necessary: always)."""
    if category == catalogue.NECESSARY:
        return True
    if category not in catalogue.OPTIONAL_CATEGORIES:
        return False
    if category == catalogue.MARKETING and gpc():
        return False
    current = state()
    return current.valid and category not in current.reprompt and current.decision.granted(category)


def granted_service(key: str) -> bool:
    service = catalogue.SERVICES_BY_KEY.get(key)
    if service is None or not granted(service.category):
        return False
    return service.category == catalogue.NECESSARY or key in state().decision.services


def consent_id() -> str | None:
    """The visitor's pseudonymous consent id, only if a decision is stored for it."""
    current = state()
    return current.consent_id if current.decision is not None else None


def prompt_categories() -> tuple[str, ...]:
    """Categories the banner must ask about now: all without a valid consent, else the re-asked ones."""
    current = state()
    return current.reprompt if current.valid else catalogue.OPTIONAL_CATEGORIES


def validate_choice(categories: list[str], services: list[str]) -> set[str]:
    """Granted service keys from a form's categories and services; unknown or oversized input raises."""
    if len(categories) + len(services) > 2 * len(catalogue.SERVICES) + len(catalogue.CATEGORIES):
        raise ConsentInputError("too many values")
    unknown = [c for c in categories if c not in catalogue.CATEGORY_KEYS]
    unknown += [s for s in services if s not in catalogue.SERVICE_KEYS]
    if unknown:
        raise ConsentInputError("unknown categories or services")
    chosen = set(services)
    for key in categories:
        chosen |= {s.key for s in catalogue.services_of(key)}
    return chosen


def _notice():
    try:
        from webapp.notices import services as notices
    except ImportError:
        return None
    return notices.current_version()


def record_decision(action: str, chosen_services: set[str], method: str,
                    scope: tuple[str, ...] | None = None) -> ConsentDecision:
    """Store a decision for the current visitor (a new consent id if none); flushes.

    ``scope``: the categories decided now; the others keep the visitor's previous decision."""
    current = state()
    scope = scope or catalogue.OPTIONAL_CATEGORIES
    previous = current.decision if current.valid else None
    if action == "accept_all":
        chosen_services = set(catalogue.SERVICE_KEYS)
    elif action in ("reject_all", "withdraw", "gpc_refusal"):
        chosen_services = set()
    services, categories = set(), {catalogue.NECESSARY: True}
    for key in catalogue.OPTIONAL_CATEGORIES:
        own = {s.key for s in catalogue.services_of(key)}
        picked = chosen_services & own if key in scope or previous is None else own & set(previous.services)
        if key == catalogue.MARKETING and gpc():
            picked = set()
        services |= picked
        categories[key] = bool(picked)
    now = clock.now()
    notice = _notice()
    decision = ConsentDecision(
        consent_id=current.consent_id or cookies.new_consent_id(), decided_at=now,
        expires_at=now + timedelta(days=current_app.config["CONSENT_MAX_AGE_DAYS"]), method=method,
        action=action, gpc=gpc(), categories=categories, services=sorted(services),
        notice_version_id=getattr(notice, "id", None), notice_number=getattr(notice, "number", None),
        notice_hash=getattr(notice, "text_hash", None))
    db.session.add(decision)
    db.session.flush()
    g.consent_state = State(consent_id=decision.consent_id, decision=decision, valid=True)
    return decision


def refused_cookie_patterns(decision: ConsentDecision) -> tuple[str, ...]:
    refused = [key for key in catalogue.OPTIONAL_CATEGORIES if not decision.granted(key)]
    return catalogue.clearable_cookies(refused)


def finish(response, decision: ConsentDecision):
    """Send the consent cookie and clear the cookies of every refused category."""
    cookies.set_consent_cookie(response, decision.consent_id)
    cookies.clear_cookies(response, refused_cookie_patterns(decision))
    return response


def honour_gpc_signal() -> ConsentDecision | None:
    """A GPC signal overrides an earlier marketing consent: recorded as a refusal (method gpc)."""
    current = state()
    if not gpc() or not current.valid or not current.decision.granted(catalogue.MARKETING):
        return None
    return record_decision("gpc_refusal", set(), "gpc", scope=(catalogue.MARKETING,))
