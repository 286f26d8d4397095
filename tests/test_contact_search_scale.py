"""The branch-wise active search (webapp.crm.search) finds exactly what the plain condition finds.

Each term is checked against a brute-force reading of the rule (a prefix of last name, first
name, e-mail or company name, ignoring case; phone digits anywhere), page by page through the
keyset cursor, in both sorts, and only within the tenant in scope.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp import tenancy
from webapp.crm import search, services

NAMES = [("Anna", "Varga"), ("ANNA", "VARGA"), ("anna", "vargas"), ("Béla", "Kovács"), ("Bence", "kÖvari"),
         ("Ádám", "Ávila"), ("Zsófia", "Zsolnai"), ("Kálmán", "\u212aelvin"), ("Vanda", "Nagy"),
         ("Dóra", "Tóth"), ("Éva", "Éles"), ("Max", "Müller"), ("Ida", "Var_ga"), ("Pál", "Va%rga")]
TERMS = ["var", "VAR", "va", "v", "ko", "kö", "KÖV", "áv", "Á", "zs", "k", "kelvin", "anna", "anna.v", "var_",
         "va%", "mül", "nagy", "éva", "3630", "duna", "x", "Varga"]


def _fold(text: str) -> str:
    """Case folding as the database does it: SQLite's lower() and LIKE know only ASCII letters."""
    from webapp.extensions import db

    if db.session.get_bind().dialect.name == "sqlite":
        return "".join(ch.lower() if ch.isascii() else ch for ch in text)
    return text.lower()


def _expected(contacts, term: str) -> set[int]:
    term = _fold(term.strip().lower())
    digits = "".join(ch for ch in term if ch.isdigit())
    found = set()
    for c in contacts:
        texts = [c.last_name, c.first_name, c.email or "", c.company.name if c.company else ""]
        if any(_fold(t).startswith(term) for t in texts) or (len(digits) >= 3 and digits in (c.phone or "")):
            found.add(c.id)
    return found


def _all_pages(term: str, sort: str) -> list[int]:
    seen, cursor = [], None
    while True:
        page = services.list_contacts(term, sort, cursor)
        seen += [c.id for c in page.rows]
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor


@pytest.fixture()
def people(make, db_session):
    tenant, other = make.tenant(), make.tenant()
    duna = make.company(tenant, name="Duna Kft.")
    made = []
    for index in range(3):  # 42 contacts: more than one page of the search's candidates per branch
        for number, (first, last) in enumerate(NAMES):
            made.append(make.contact(tenant, first_name=first, last_name=last,
                                     email=f"{first.lower()}.{last.lower()}{index}@example.com",
                                     phone=f"+3630{index}{number:06d}", company=duna if number % 3 == 0 else None))
    for first, last in NAMES:  # the same names in another tenant: never found
        make.contact(other, first_name=first, last_name=last)
    return tenant, made


@pytest.mark.parametrize("term", TERMS)
def test_search_finds_exactly_the_matching_contacts_in_list_order(people, db_session, monkeypatch, term):
    tenant, made = people
    monkeypatch.setattr(services, "PAGE_SIZE", 5)  # many pages, so the keyset runs through every branch
    with tenancy.scoped(tenant.id):
        expected = _expected(made, term)
        by_name = _all_pages(term, "name")
        assert set(by_name) == expected and len(by_name) == len(expected)
        key = {c.id: (c.last_name, c.first_name, c.id) for c in made}
        assert by_name == sorted(by_name, key=key.__getitem__)
        newest = _all_pages(term, "newest")
        assert set(newest) == expected and len(newest) == len(expected)


def test_prefix_ranges_hold_every_case_variant_and_nothing_else():
    ranges = search.prefix_ranges("ko")
    assert sorted(ranges) == sorted([("KO", "KP"), ("Ko", "Kp"), ("kO", "kP"), ("ko", "kp"),
                                     ("\u212aO", "\u212aP"), ("\u212ao", "\u212ap")])
    inside = ["Kovács", "kovacs", "KOVÁCS", "kOv", "\u212aovacs"]
    outside = ["Kárpát", "Kp", "Lo", "ko"[:1]]
    assert all(any(low <= name < high for low, high in ranges) for name in inside)
    assert not any(any(low <= name < high for low, high in ranges) for name in outside)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(term=st.text(alphabet="aAváÁöÖzZk_%\\ .@3", min_size=1, max_size=6))
def test_any_term_matches_the_brute_force_rule(people, db_session, term):
    tenant, made = people
    with tenancy.scoped(tenant.id):
        found = _all_pages(term, "name")
        assert set(found) == _expected(made, term) and len(found) == len(set(found))
