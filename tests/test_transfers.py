"""The transfer log: one row per person and disclosure, idempotent by reference, recorded by hand too."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp.transfers import services
from webapp.transfers.models import Transfer

HTMX = {"HX-Request": "true"}


def _sms(reference, phone="+36201234567"):
    return services.Disclosure(recipient="Opennetworks Kft.", recipient_kind="processor", legal_basis="contract",
                               purpose="sms", data_description="phone number, text", subject_phone=phone,
                               reference=reference)


def test_a_send_is_logged_once_whatever_the_retries(app, db_session):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert services.record_many([_sms("sms:1"), _sms("sms:2", "+36301234567")]) == 2
        assert services.record_many([_sms("sms:1"), _sms("sms:3")]) == 1
        found = services.for_person(phone="+36201234567")
    assert sorted(row.reference for row in found) == ["sms:1", "sms:3"]
    assert db_session.scalar(select(func.count(Transfer.id))) == 3


def test_a_transfer_must_name_a_person_and_a_known_basis(app, db_session):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(ValueError):
            services.record(services.Disclosure(recipient="X", recipient_kind="processor", legal_basis="contract",
                                                purpose="p", data_description="d"))
        with pytest.raises(ValueError):
            services.record(services.Disclosure(recipient="X", recipient_kind="friend", legal_basis="contract",
                                                purpose="p", data_description="d", subject_email="a@example.com"))
    assert db_session.scalar(select(func.count(Transfer.id))) == 0


def test_privacy_officers_record_and_find_disclosures(client, login, make, db_session):
    login(make.user(staff_role="privacy_officer"))
    token = csrf_from(client.get("/privacy/transfers").get_data(as_text=True))
    bad = client.post("/privacy/transfers", data={"recipient_kind": "authority", "recipient": "NAIH",
                                                   "legal_basis": "legal_obligation", "purpose": "inquiry",
                                                   "data_description": "contact data", "csrf_token": token})
    assert bad.status_code == 422 and "Name the person" in bad.get_data(as_text=True)
    assert db_session.scalar(select(func.count(Transfer.id))) == 0
    good = client.post("/privacy/transfers", data={"recipient_kind": "authority", "recipient": "NAIH",
                                                    "legal_basis": "legal_obligation", "purpose": "inquiry",
                                                    "data_description": "contact data", "csrf_token": token,
                                                    "subject_email": "Anna@Example.com"})
    assert good.status_code == 303
    row = db_session.scalars(select(Transfer)).one()
    assert (row.recipient, row.subject_email, row.recorded_by_id is not None) == ("NAIH", "anna@example.com", True)
    listing = client.get("/privacy/transfers?person=anna@example.com", headers=HTMX).get_data(as_text=True)
    assert "NAIH" in listing and "<html" not in listing
    assert "NAIH" not in client.get("/privacy/transfers?person=bela@example.com").get_data(as_text=True)
