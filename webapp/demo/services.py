"""Demo data: a realistic small data set for `make run` (idempotent: only into an empty database)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from webapp import clock, tenancy
from webapp.accounts.services import create_user
from webapp.crm.models import Company, Contact
from webapp.extensions import db
from webapp.leads.models import LEAD_SOURCES, Lead
from webapp.tenants.models import Tenant

DEMO_PASSWORD = "Tisza-river-lantern-2026"  # noqa: S105 - printed on purpose for the demo


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


DEMO_STAFF = (("dora.privacy@bizalom.example", "Dóra Németh", "privacy_officer"),
              ("gergo.consultant@bizalom.example", "Gergő Farkas", "consultant"),
              ("ops@bizalom.example", "Levente Papp", "operator"))
DEMO_TENANTS = (("Kovács és Társa Kft.", "kovacs", "subscribed", "kovacs.example",
                 (("anna.kovacs", "Anna Kovács", "admin"), ("peter.toth", "Péter Tóth", "user"))),
                ("Alpenblick Handels GmbH", "alpenblick", "trial", "alpenblick.example",
                 (("lena.gruber", "Lena Gruber", "admin"),)))


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count(Tenant.id))) == 0


def demo_logins() -> list[DemoLogin]:
    logins = [DemoLogin(email, role) for email, _name, role in DEMO_STAFF]
    for _n, _s, _st, domain, users in DEMO_TENANTS:
        logins += [DemoLogin(f"{local}@{domain}", role) for local, _name, role in users]
    return logins


def _fill_tenant(tenant: Tenant, rng: random.Random, contacts: int, companies: int) -> None:
    from webapp.demo.people import firm, person

    with tenancy.scoped(tenant.id):
        _add_records(tenant, rng, contacts, companies, firm, person)


def _add_records(tenant, rng, contacts, companies, firm, person) -> None:
    now = clock.now()
    firms = [Company(tenant_id=tenant.id, name=f.name, city=f.city, country=f.country) for f in
             (firm(rng) for _ in range(companies))]
    db.session.add_all(firms)
    db.session.flush()
    for serial in range(contacts):
        p = person(rng, serial)
        db.session.add(Contact(
            tenant_id=tenant.id, first_name=p.first_name, last_name=p.last_name, email=p.email,
            phone=p.phone, company_id=rng.choice(firms).id if rng.random() < 0.8 else None,
            created_at=now - timedelta(days=rng.randrange(0, 720), minutes=rng.randrange(0, 1440)),
        ))
    db.session.flush()


def _add_leads(rng: random.Random, count: int) -> None:
    from webapp.demo.people import person

    now = clock.now()
    for serial in range(count):
        p = person(rng, serial, domain="lead.example")
        db.session.add(Lead(name=f"{p.first_name} {p.last_name}", email=p.email, phone=p.phone,
                            source=rng.choice(LEAD_SOURCES),
                            last_interaction_at=now - timedelta(days=rng.randrange(0, 400))))


def load_demo_data(seed: int = 2026, contacts_per_tenant: int = 250) -> list[DemoLogin]:
    """Fill an empty database with demo tenants, users, companies, contacts and leads."""
    rng = random.Random(seed)
    for email, name, role in DEMO_STAFF:
        create_user(email, name, DEMO_PASSWORD, staff_role=role)
    for tenant_name, slug, state, domain, users in DEMO_TENANTS:
        tenant = Tenant(name=tenant_name, slug=slug, state=state)
        db.session.add(tenant)
        db.session.flush()
        for local, name, role in users:
            create_user(f"{local}@{domain}", name, DEMO_PASSWORD, tenant_id=tenant.id, role=role)
        _fill_tenant(tenant, rng, contacts_per_tenant, max(5, contacts_per_tenant // 6))
    _add_leads(rng, 60)
    db.session.flush()
    return demo_logins()
