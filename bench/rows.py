"""Row factories of the benchmark data: deterministic tuples for tenants, users, companies, contacts, leads.

Every factory takes an explicit ``random.Random`` and the first free primary key, and
yields plain tuples in the column order of its ``*_COLUMNS`` constant, so one stream
can feed either PostgreSQL ``COPY`` or SQLite ``executemany``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from webapp.demo.people import ascii_slug, firm, person
from webapp.leads.models import LEAD_SOURCES

# A fixed "now" keeps the data identical from run to run (the seed alone decides it).
ANCHOR = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
HISTORY_SECONDS = 3 * 365 * 24 * 3600
LOCALE_OF_COUNTRY = {"HU": "hu", "AT": "de", "RO": "en", "SK": "en"}
FREE_MAIL = ("freemail.example", "citromail.example", "gmx.example", "posteo.example")

TENANT_COLUMNS = ("id", "name", "slug", "state", "closed_at", "require_2fa", "created_at")
USER_COLUMNS = ("id", "email", "name", "password_hash", "tenant_id", "role", "locale", "active", "created_at")
COMPANY_COLUMNS = ("id", "tenant_id", "name", "city", "country", "deleted_at", "created_at")
CONTACT_COLUMNS = ("id", "tenant_id", "first_name", "last_name", "email", "phone", "company_id",
                   "deleted_at", "created_at")
LEAD_COLUMNS = ("id", "name", "email", "phone", "source", "last_interaction_at", "created_at")


@dataclass
class TenantPlan:
    """One generated tenant: its identity and how many records it gets."""

    id: int
    name: str
    slug: str
    state: str
    contacts: int
    companies: int
    big: bool = False
    require_2fa: bool = False
    first_company_id: int = 0
    company_domains: list[str] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return f"{self.slug}.example"


def past(rng: random.Random, span_seconds: int = HISTORY_SECONDS) -> datetime:
    return ANCHOR - timedelta(seconds=rng.randrange(0, span_seconds))


def plan_tenants(rng: random.Random, first_id: int, counts: list[int], big_count: int) -> list[TenantPlan]:
    """Tenant 0 is the big one when ``big_count`` > 0; the first two are subscribed, without 2FA."""
    sizes = ([(big_count, True)] if big_count > 0 else []) + [(n, False) for n in counts]
    plans = []
    for index, (contacts, big) in enumerate(sizes):
        name = firm(rng).name
        state = "subscribed" if index < 2 else rng.choices(("subscribed", "trial", "closed"), (6, 3, 1))[0]
        plans.append(TenantPlan(
            id=first_id + index, name=name, slug=f"{_slug(name)}-{index + 1}",
            state=state, contacts=contacts, companies=max(3, contacts // 8), big=big,
            require_2fa=index >= 2 and rng.random() < 0.2,
        ))
    return plans


def tenant_rows(rng: random.Random, plans: list[TenantPlan]) -> Iterator[tuple]:
    for plan in plans:
        created = past(rng)
        closed_at = ANCHOR - timedelta(days=rng.randrange(1, 60)) if plan.state == "closed" else None
        yield (plan.id, plan.name, plan.slug, plan.state, closed_at, plan.require_2fa, created)


def user_rows(rng: random.Random, plans: list[TenantPlan], first_id: int, per_tenant: int,
              password_hash: str) -> Iterator[tuple]:
    """Per tenant: one admin, then users; e-mail ``<first>.<last><n>@<slug>.example``."""
    next_id = first_id
    for plan in plans:
        for serial in range(per_tenant):
            p = person(rng, serial, domain=plan.domain)
            yield (next_id, p.email, f"{p.first_name} {p.last_name}", password_hash, plan.id,
                   "admin" if serial == 0 else "user", LOCALE_OF_COUNTRY[p.country], True, past(rng))
            next_id += 1


def company_rows(rng: random.Random, plans: list[TenantPlan], first_id: int) -> Iterator[tuple]:
    """Companies of every tenant; fills ``first_company_id`` and ``company_domains`` of the plans."""
    next_id = first_id
    for plan in plans:
        plan.first_company_id = next_id
        plan.company_domains = []
        for _ in range(plan.companies):
            f = firm(rng)
            words = f.name.split()
            plan.company_domains.append(f"{ascii_slug(words[0])}{ascii_slug(words[1])}{next_id}.example")
            created = past(rng)
            deleted = created + timedelta(days=rng.randrange(1, 300)) if rng.random() < 0.02 else None
            yield (next_id, plan.id, f.name, f.city, f.country, _not_after_anchor(deleted), created)
            next_id += 1


def contact_rows(rng: random.Random, plans: list[TenantPlan], first_id: int) -> Iterator[tuple]:
    """Contacts: 75 % work at one of the tenant's companies, 3 % soft-deleted, some without e-mail/phone."""
    next_id = first_id
    for plan in plans:
        for serial in range(plan.contacts):
            yield _contact(rng, plan, next_id, serial)
            next_id += 1


def _contact(rng: random.Random, plan: TenantPlan, contact_id: int, serial: int) -> tuple:
    company_index = rng.randrange(plan.companies) if rng.random() < 0.75 else None
    if company_index is None:
        domain, company_id = rng.choice(FREE_MAIL), None
    else:
        domain, company_id = plan.company_domains[company_index], plan.first_company_id + company_index
    p = person(rng, serial, domain=domain)
    created = past(rng)
    deleted = created + timedelta(days=rng.randrange(1, 400)) if rng.random() < 0.03 else None
    return (contact_id, plan.id, p.first_name, p.last_name, p.email if rng.random() < 0.95 else None,
            p.phone if rng.random() < 0.8 else None, company_id, _not_after_anchor(deleted), created)


def lead_rows(rng: random.Random, count: int, first_id: int) -> Iterator[tuple]:
    """Leads of the operator's own pipeline (not tenant data)."""
    for serial in range(count):
        p = person(rng, serial, domain=rng.choice(FREE_MAIL))
        created = past(rng, 2 * 365 * 24 * 3600)
        last = min(ANCHOR, created + timedelta(days=rng.randrange(0, 400)))
        yield (first_id + serial, f"{p.first_name} {p.last_name}", p.email,
               p.phone if rng.random() < 0.6 else None, rng.choice(LEAD_SOURCES), last, created)


def _slug(name: str) -> str:
    return "-".join(ascii_slug(word).replace(".", "") for word in name.split())


def _not_after_anchor(moment: datetime | None) -> datetime | None:
    return None if moment is None else min(moment, ANCHOR)
