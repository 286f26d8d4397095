"""Demo data: a realistic data set for `make run`, loaded only into an empty database."""

from __future__ import annotations

import phonenumbers
from email_validator import validate_email
from sqlalchemy import func, select

from webapp import tenancy
from webapp.accounts.models import User
from webapp.crm.models import Company, Contact
from webapp.demo import services
from webapp.leads.models import Lead
from webapp.tenants.models import Tenant


def test_demo_data_fills_tenants_users_contacts_and_leads(db_session):
    assert services.database_is_empty()
    logins = services.load_demo_data(contacts_per_tenant=30)
    assert not services.database_is_empty()
    assert db_session.scalar(select(func.count(Tenant.id))) == 2
    assert {u.email for u in db_session.scalars(select(User))} == {login.email for login in logins}
    for tenant in db_session.scalars(select(Tenant)):
        with tenancy.scoped(tenant.id):
            assert db_session.scalar(select(func.count(Contact.id))) == 30
            assert db_session.scalar(select(func.count(Company.id))) >= 5
    assert db_session.scalar(select(func.count(Lead.id))) == 60


def test_demo_contacts_are_realistic(db_session):
    services.load_demo_data(contacts_per_tenant=40)
    for contact in db_session.scalars(tenancy.all_tenants(select(Contact))):
        validate_email(contact.email, check_deliverability=False)
        number = phonenumbers.parse(contact.phone)
        assert phonenumbers.is_valid_number(number), contact.phone
        assert phonenumbers.region_code_for_number(number) in {"HU", "AT", "RO", "SK"}


def test_every_demo_login_works(db_session, client, csrf):
    logins = services.load_demo_data(contacts_per_tenant=5)
    db_session.commit()
    for login in logins:
        response = client.post("/login", data={"email": login.email, "password": services.DEMO_PASSWORD,
                                               "csrf_token": csrf()})
        assert response.status_code == 303, login.email
        client.post("/logout", data={"csrf_token": csrf("/")})


def test_demo_cli_loads_once(app, db_session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load", "--contacts", "3"])
    assert "demo data loaded" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert "nothing loaded" in second.output
    assert db_session.scalar(select(func.count(Tenant.id))) == 2
