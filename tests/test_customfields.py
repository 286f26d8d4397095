"""Custom fields: definitions (tenant admins), the contact form and page, filter and sort in SQL."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from webapp import tenancy
from webapp.audit.models import AuditEntry
from webapp.crm.models import Contact
from webapp.customfields import services
from webapp.customfields.models import CustomField, CustomFieldValue

HX = {"HX-Request": "true"}


@pytest.fixture()
def admin(make, login):
    tenant = make.tenant()
    login(make.user(tenant=tenant, role="admin"))
    return tenant


@pytest.fixture()
def member(make, login):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    return tenant


def define(tenant, *specs):
    """[(key, type, choices)] -> {key: CustomField}"""
    with tenancy.scoped(tenant.id):
        services.forget_cache()
        made = {key: services.create_field("contact", key, key.title(), kind, choices)
                for key, kind, choices in specs}
        services.forget_cache()
        return made


def put(tenant, contact, values: dict):
    with tenancy.scoped(tenant.id):
        services.forget_cache()
        by_key = {f.key: f for f in services.fields("contact")}
        services.save_values("contact", contact.id, {by_key[k].id: v for k, v in values.items()})


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/contacts/\d+">([^<]+)</a>', html)


# -- definitions -----------------------------------------------------------------------------

def test_admin_adds_edits_orders_and_archives_fields(client, csrf, admin, db_session):
    token = csrf("/settings/custom-fields")
    response = client.post("/settings/custom-fields", data={
        "csrf_token": token, "entity": "contact", "label": "Priority", "key": "", "field_type": "choice",
        "choices": "low\nhigh\n\n", "required": "y"})
    assert response.status_code == 303
    client.post("/settings/custom-fields", data={"csrf_token": token, "entity": "contact", "label": "Contract end",
                                                 "field_type": "date"})
    with tenancy.scoped(admin.id):
        fields = db_session.scalars(select(CustomField).order_by(CustomField.position)).all()
        assert [(f.key, f.field_type, f.choices, f.required) for f in fields] == [
            ("priority", "choice", ["low", "high"], True), ("contract_end", "date", None, False)]
        priority, end = fields
    page = client.get("/settings/custom-fields").get_data(as_text=True)
    assert "Priority" in page and "contract_end" in page
    assert client.post(f"/settings/custom-fields/{end.id}/move", data={"csrf_token": token,
                                                                       "direction": "up"}).status_code == 303
    fragment = client.post(f"/settings/custom-fields/{priority.id}/archive", headers={**HX, "X-CSRFToken": token},
                           data={"archived": "1"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and html.startswith('<div id="custom-fields">') and "<html" not in html
    edit = client.post(f"/settings/custom-fields/{priority.id}/edit", data={
        "csrf_token": token, "label": "Urgency", "key": "urgency", "field_type": "choice",
        "choices": "low\nmedium\nhigh"})
    assert edit.status_code == 303
    with tenancy.scoped(admin.id):
        db_session.expire_all()
        assert db_session.get(CustomField, priority.id).archived is True
        assert db_session.get(CustomField, priority.id).label == "Urgency"
        assert db_session.get(CustomField, priority.id).choices == ["low", "medium", "high"]
        assert [f.key for f in services.fields("contact", include_archived=True)] == ["contract_end", "urgency"]
        assert db_session.scalars(select(AuditEntry.record_type).where(AuditEntry.record_id == priority.id)).all()


def test_page_and_fragment_of_the_settings_screen(client, admin):
    full = client.get("/settings/custom-fields")
    assert "<html" in full.get_data(as_text=True) and "HX-Request" in full.headers["Vary"]
    fragment = client.get("/settings/custom-fields", headers=HX).get_data(as_text=True)
    assert fragment.startswith('<div id="custom-fields">') and "<html" not in fragment


def test_bad_definitions_are_refused_with_a_reason(client, csrf, admin, db_session):
    token = csrf("/settings/custom-fields")
    for data, reason in (
        ({"label": "Colour", "field_type": "choice", "choices": ""}, "at least one choice"),
        ({"label": "X", "key": "1bad", "field_type": "text"}, "must start with a letter"),
        ({"label": "", "field_type": "text"}, "This field is required"),
        ({"label": "Y", "field_type": "nonsense"}, "Not a valid choice"),
        ({"label": "Z", "field_type": "choice", "choices": "a\nA"}, "only once"),
    ):
        response = client.post("/settings/custom-fields", data={"csrf_token": token, "entity": "contact", **data})
        assert response.status_code == 422, data
        assert reason in response.get_data(as_text=True)
    with tenancy.scoped(admin.id):
        assert db_session.scalars(select(CustomField)).all() == []


def test_key_and_type_are_locked_once_values_exist(client, csrf, make, admin, db_session):
    fields = define(admin, ("size", "number", ()))
    contact = make.contact(admin)
    put(admin, contact, {"size": Decimal("3")})
    token = csrf("/settings/custom-fields")
    page = client.get(f"/settings/custom-fields/{fields['size'].id}/edit").get_data(as_text=True)
    assert "cannot change because records have values" in page
    response = client.post(f"/settings/custom-fields/{fields['size'].id}/edit", data={
        "csrf_token": token, "label": "Head count", "key": "other", "field_type": "text"})
    assert response.status_code == 303
    with tenancy.scoped(admin.id):
        db_session.expire_all()
        field = db_session.get(CustomField, fields["size"].id)
        assert (field.key, field.field_type, field.label) == ("size", "number", "Head count")
        with pytest.raises(services.DefinitionError):
            services.update_field(field, label="x", field_type="text")


def test_choices_in_use_cannot_be_removed(app, make, admin, db_session):
    fields = define(admin, ("tier", "choice", ("gold", "silver")))
    put(admin, make.contact(admin), {"tier": "gold"})
    with app.test_request_context(headers={"Accept-Language": "en"}), tenancy.scoped(admin.id), \
            pytest.raises(services.DefinitionError, match="gold"):
        services.update_field(fields["tier"], label="Tier", choices=["silver"])


def test_at_most_fifty_active_fields_per_entity(admin, db_session):
    with tenancy.scoped(admin.id):
        for number in range(services.MAX_FIELDS):
            services.create_field("contact", f"f{number}", f"F {number}", "text")
        with pytest.raises(services.DefinitionError):
            services.create_field("contact", "one_more", "One more", "text")
        services.create_field("company", "fine", "Fine", "text")


def test_only_tenant_admins_and_only_their_own_fields(client, csrf, make, admin, db_session):
    other = make.tenant()
    theirs = define(other, ("secret", "text", ()))["secret"]
    token = csrf("/settings/custom-fields")
    assert client.get(f"/settings/custom-fields/{theirs.id}/edit").status_code == 404
    for action in ("archive", "move", "edit"):
        response = client.post(f"/settings/custom-fields/{theirs.id}/{action}", data={"csrf_token": token,
                                                                                    "label": "Mine now"})
        assert response.status_code == 404
    with tenancy.scoped(other.id):
        db_session.expire_all()
        assert db_session.get(CustomField, theirs.id).label == "Secret"
        assert db_session.get(CustomField, theirs.id).archived is False


def test_tenant_users_cannot_manage_fields(client, member):
    assert client.get("/settings/custom-fields").status_code == 403


def test_database_checks_the_value_column_and_type(make, admin, db_session):
    from sqlalchemy.exc import IntegrityError

    fields = define(admin, ("size", "number", ()))
    contact = make.contact(admin)
    with tenancy.scoped(admin.id):
        nested = db_session.begin_nested()
        db_session.add(CustomFieldValue(field_id=fields["size"].id, field_type="number", entity="contact",
                                        contact_id=contact.id, text_value="3"))
        with pytest.raises(IntegrityError):
            db_session.flush()
        nested.rollback()
        nested = db_session.begin_nested()
        db_session.add(CustomFieldValue(field_id=fields["size"].id, field_type="text", entity="contact",
                                        contact_id=contact.id, text_value="3"))
        with pytest.raises(IntegrityError):  # the type must be the definition's (composite foreign key)
            db_session.flush()
        nested.rollback()


# -- the contact form and page ---------------------------------------------------------------

def test_contact_form_shows_and_saves_custom_fields(client, csrf, admin, db_session):
    define(admin, ("tier", "choice", ("gold", "silver")), ("budget", "number", ()), ("since", "date", ()),
           ("site", "url", ()), ("mobile", "phone", ()), ("billing", "email", ()), ("note", "text", ()))
    form = client.get("/contacts/new").get_data(as_text=True)
    assert 'name="cf_tier"' in form and 'name="cf_since"' in form and 'type="date"' in form
    token = csrf("/contacts/new")
    response = client.post("/contacts/new", data={
        "csrf_token": token, "last_name": "Kiss", "cf_tier": "gold", "cf_budget": "1 234,5", "cf_since": "15.03.2024",
        "cf_site": "https://example.hu/x", "cf_mobile": "20 123 4567", "cf_billing": "Szamla@Example.com",
        "cf_note": "<b>vip</b>"})
    assert response.status_code == 303
    contact_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with tenancy.scoped(admin.id):
        services.forget_cache()
        values = {f.key: v for f in services.fields("contact")
                  for fid, v in services.values_of("contact", contact_id).items() if fid == f.id}
    assert values == {"tier": "gold", "budget": Decimal("1234.5"), "since": date(2024, 3, 15),
                      "site": "https://example.hu/x", "mobile": "+36201234567", "billing": "Szamla@example.com",
                      "note": "<b>vip</b>"}
    page = client.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert "1,234.5" in page and "+36201234567" in page and "&lt;b&gt;vip&lt;/b&gt;" in page
    assert "Mar 15, 2024" in page
    edit = client.get(f"/contacts/{contact_id}/edit").get_data(as_text=True)
    assert 'value="1234.5"' in edit and 'value="2024-03-15"' in edit


def test_invalid_custom_values_answer_422_and_store_nothing(client, csrf, make, admin, db_session):
    define(admin, ("tier", "choice", ("gold",)), ("budget", "number", ()), ("site", "url", ()))
    token = csrf("/contacts/new")
    response = client.post("/contacts/new", data={"csrf_token": token, "last_name": "Kiss", "cf_tier": "platinum",
                                                  "cf_budget": "12abc", "cf_site": "javascript:alert(1)"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please choose one of the offered values." in html and "Please enter a number" in html
    assert "http:// or https://" in html
    contact = make.contact(admin, last_name="Nagy")
    put(admin, contact, {"budget": Decimal("5")})
    response = client.post(f"/contacts/{contact.id}/edit", data={"csrf_token": token, "last_name": "Changed",
                                                                 "cf_budget": "1e9999"})
    assert response.status_code == 422
    with tenancy.scoped(admin.id):
        db_session.expire_all()
        assert db_session.scalars(select(Contact.last_name)).all() == ["Nagy"]
        assert [v.number_value for v in db_session.scalars(select(CustomFieldValue))] == [Decimal("5")]


def test_required_custom_field(client, csrf, admin):
    with tenancy.scoped(admin.id):
        services.create_field("contact", "source", "Source", "text", required=True)
    token = csrf("/contacts/new")
    response = client.post("/contacts/new", data={"csrf_token": token, "last_name": "Kiss"})
    assert response.status_code == 422 and "This field is required." in response.get_data(as_text=True)


def test_form_fragment_with_and_without_htmx(client, admin):
    define(admin, ("tier", "text", ()))
    fragment = client.get("/contacts/new", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith(("<form", "{")) or 'id="contact-form"' in fragment
    assert "<html" not in fragment and 'name="cf_tier"' in fragment
    assert "<html" in client.get("/contacts/new").get_data(as_text=True)


def test_changes_are_in_the_contacts_history(client, csrf, make, admin, db_session):
    define(admin, ("tier", "text", ()))
    contact = make.contact(admin, last_name="Kiss")
    token = csrf("/contacts/new")
    for value in ("bronze", "gold", ""):
        assert client.post(f"/contacts/{contact.id}/edit", data={
            "csrf_token": token, "last_name": "Kiss", "first_name": "Anna", "email": contact.email,
            "cf_tier": value}).status_code == 303
    with tenancy.scoped(admin.id):
        rows = db_session.scalars(select(AuditEntry).where(AuditEntry.record_type == "contact",
                                                           AuditEntry.record_id == contact.id,
                                                           AuditEntry.action == "update")
                                  .order_by(AuditEntry.id)).all()
        assert [r.changes for r in rows if "Tier" in (r.changes or {})] == [
            {"Tier": [None, "bronze"]}, {"Tier": ["bronze", "gold"]}, {"Tier": ["gold", None]}]
        assert db_session.scalars(select(CustomFieldValue)).all() == []


def test_values_follow_the_contact_to_trash_and_purge(make, admin, db_session):
    from webapp.audit import purge
    from webapp.audit import services as audit

    define(admin, ("tier", "text", ()))
    contact = make.contact(admin)
    put(admin, contact, {"tier": "gold"})
    with tenancy.scoped(admin.id):
        audit.trash(Contact, [contact.id])
        assert len(db_session.scalars(select(CustomFieldValue)).all()) == 1  # restorable with the contact
        purge.erase(Contact, [contact.id])
        db_session.expire_all()
        assert db_session.scalars(select(CustomFieldValue)).all() == []
        history = db_session.scalars(select(AuditEntry.changes).where(AuditEntry.record_id == contact.id,
                                                                      AuditEntry.record_type == "contact")).all()
        assert all(changes is None for changes in history)  # erased: the custom values are gone from the log


# -- filter and sort -------------------------------------------------------------------------

def _contacts_with_values(make, tenant):
    define(tenant, ("tier", "choice", ("gold", "silver")), ("budget", "number", ()), ("since", "date", ()),
           ("note", "text", ()))
    rows = {"Alpha": {"tier": "gold", "budget": Decimal("100"), "since": date(2024, 1, 1), "note": "Big fish"},
            "Bravo": {"tier": "silver", "budget": Decimal("5.5"), "since": date(2023, 6, 1), "note": "small"},
            "Charlie": {"budget": Decimal("250"), "note": "biggest"},
            "Delta": {}}
    for name, values in rows.items():
        put(tenant, make.contact(tenant, last_name=name, first_name="X"), values)


@pytest.mark.parametrize(("query", "expected"), [
    ({"cf.tier": "gold"}, ["Alpha"]),
    ({"cf.note": "BIG"}, ["Alpha", "Charlie"]),
    ({"cf.note.eq": "big fish"}, ["Alpha"]),
    ({"cf.budget.min": "6", "cf.budget.max": "1 000"}, ["Alpha", "Charlie"]),
    ({"cf.budget": "5,5"}, ["Bravo"]),
    ({"cf.since.min": "2023-12-31"}, ["Alpha"]),
    ({"cf.since.max": "31.12.2023", "cf.note": "s"}, ["Bravo"]),
    ({"cf.note": "100%"}, []),
])
def test_filters(client, make, member, query, expected):
    _contacts_with_values(make, member)
    names = _names(client.get("/contacts", query_string=query).get_data(as_text=True))
    assert [name.split(",")[0] for name in names] == expected


@pytest.mark.parametrize(("sort", "expected"), [
    ("cf:budget", ["Bravo", "Alpha", "Charlie", "Delta"]),
    ("cf:budget:desc", ["Charlie", "Alpha", "Bravo", "Delta"]),
    ("cf:since", ["Bravo", "Alpha", "Charlie", "Delta"]),
    ("cf:tier:desc", ["Bravo", "Alpha", "Delta", "Charlie"]),
])
def test_sort_by_custom_field_keeps_empty_values_last(client, make, member, sort, expected):
    _contacts_with_values(make, member)
    names = _names(client.get("/contacts", query_string={"sort": sort}).get_data(as_text=True))
    assert [name.split(",")[0] for name in names] == expected


def test_bad_filter_values_are_reported_not_applied(client, make, member):
    _contacts_with_values(make, member)
    response = client.get("/contacts", query_string={"cf.budget.min": "lots", "cf.tier": "platinum",
                                                     "sort": "cf:nosuchfield", "after": "garbage"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Please enter a number" in html
    assert len(_names(html)) == 4


def test_sorted_keyset_pages_have_no_gaps_or_repeats(client, make, member):
    define(member, ("score", "number", ()))
    expected = []
    for i in range(130):
        contact = make.contact(member, last_name=f"N{i:03d}", first_name="A")
        score = None if i % 7 == 0 else Decimal(i % 10)
        if score is not None:
            put(member, contact, {"score": score})
    with tenancy.scoped(member.id):
        ordered = select(Contact.last_name).outerjoin(
            CustomFieldValue, CustomFieldValue.contact_id == Contact.id).order_by(
            CustomFieldValue.number_value.is_(None), CustomFieldValue.number_value.desc(), Contact.id.desc())
        expected = [f"{name}, A" for name in make.session.scalars(ordered)]
    for query in ({"sort": "cf:score:desc"}, {"sort": "cf:score:desc", "cf.score.min": "3"}):
        seen, url, pages = [], "/contacts?" + "&".join(f"{k}={v}" for k, v in query.items()), 0
        while url:
            html = client.get(url, headers=HX if pages else {}).get_data(as_text=True)
            seen += _names(html)
            more = re.search(r'href="(/contacts\?[^"]*after=[^"]+)"', html)
            url = more.group(1).replace("&amp;", "&") if more else None
            pages += 1
        if "cf.score.min" in query:
            assert pages == 2 and all(int(n[1:4]) % 10 >= 3 and int(n[1:4]) % 7 for n in seen)
            assert seen == [n for n in expected if int(n[1:4]) % 10 >= 3 and int(n[1:4]) % 7]
        else:
            assert pages == 3 and seen == expected


def test_filters_never_reach_another_tenants_values(client, make, member):
    other = make.tenant()
    define(other, ("tier", "text", ()))
    put(other, make.contact(other, last_name="Theirs"), {"tier": "gold"})
    define(member, ("tier", "text", ()))
    make.contact(member, last_name="Mine")
    assert _names(client.get("/contacts?cf.tier=gold").get_data(as_text=True)) == []
    assert _names(client.get("/contacts?sort=cf:tier").get_data(as_text=True)) == ["Mine, Anna"]


def test_list_shows_the_filter_form(client, make, member):
    _contacts_with_values(make, member)
    html = client.get("/contacts?cf.tier=gold").get_data(as_text=True)
    assert 'name="cf.budget.min"' in html and 'value="cf:budget:desc"' in html and "<details" in html


def test_company_form_saves_and_shows_custom_fields(client, csrf, make, admin, db_session):
    with tenancy.scoped(admin.id):
        services.create_field("company", "employees", "Employees", "number")
        services.create_field("company", "branch", "Branch", "choice", ["IT", "Retail"])
    token = csrf("/companies/new")
    refused = client.post("/companies/new", data={"csrf_token": token, "name": "Tisza Kft.", "cf_employees": "many",
                                                  "cf_branch": "IT"})
    assert refused.status_code == 422 and "Please enter a number" in refused.get_data(as_text=True)
    response = client.post("/companies/new", data={"csrf_token": token, "name": "Tisza Kft.",
                                                   "cf_employees": "1 200", "cf_branch": "it"})
    assert response.status_code == 303
    company_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with tenancy.scoped(admin.id):
        assert sorted(services.values_of("company", company_id).values(), key=str) == [Decimal(1200), "IT"]
    page = client.get(f"/companies/{company_id}").get_data(as_text=True)
    assert "Employees" in page and "1,200" in page


def test_saving_the_same_values_again_changes_nothing(make, admin, db_session):
    fields = define(admin, ("budget", "number", ()), ("since", "date", ()))
    contact = make.contact(admin)
    put(admin, contact, {"budget": Decimal("1200"), "since": date(2024, 1, 2)})
    with tenancy.scoped(admin.id):
        changes = services.save_values("contact", contact.id, {fields["budget"].id: Decimal("1200.00"),
                                                               fields["since"].id: date(2024, 1, 2)})
        assert changes == {}


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
fuzz_texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=80) | st.sampled_from(
    ["1 234,5", "2024-03-15", "gold", "https://example.hu", "+36201234567", "a@example.com", ""])


@FUZZ
@given(tier=fuzz_texts, budget=fuzz_texts, since=fuzz_texts, site=fuzz_texts, mobile=fuzz_texts, mail=fuzz_texts)
def test_fuzzed_custom_inputs_are_stored_typed_or_refused_whole(client, csrf, make, db_session, tier, budget, since,
                                                                site, mobile, mail):
    """Fixtures run once per test: the tenant and its fields exist for every example."""
    if not hasattr(make, "fuzz_tenant"):
        make.fuzz_tenant = make.tenant()
        user = make.user(tenant=make.fuzz_tenant)
        token = csrf()
        client.post("/login", data={"email": user.email, "password": make.PASSWORD, "csrf_token": token})
        define(make.fuzz_tenant, ("tier", "choice", ("gold",)), ("budget", "number", ()), ("since", "date", ()),
               ("site", "url", ()), ("mobile", "phone", ()), ("mail", "email", ()))
    tenant = make.fuzz_tenant
    with tenancy.scoped(tenant.id):
        before = len(db_session.scalars(select(Contact.id)).all())
    response = client.post("/contacts/new", data={
        "csrf_token": csrf("/contacts/new"), "last_name": "Fuzz", "cf_tier": tier, "cf_budget": budget,
        "cf_since": since, "cf_site": site, "cf_mobile": mobile, "cf_mail": mail})
    assert response.status_code in (303, 422)
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        after = db_session.scalars(select(Contact.id).order_by(Contact.id)).all()
        if response.status_code == 422:
            assert len(after) == before
        else:
            assert len(after) == before + 1
            stored = db_session.scalars(select(CustomFieldValue).where(CustomFieldValue.contact_id == after[-1]))
            for value in stored:
                assert isinstance(value.value, Decimal | date | str)


def test_edit_screen_fragment_with_and_without_htmx(client, admin):
    field = define(admin, ("tier", "text", ()))["tier"]
    fragment = client.get(f"/settings/custom-fields/{field.id}/edit", headers=HX)
    html = fragment.get_data(as_text=True)
    assert html.startswith('<form id="custom-field-edit"') and "<html" not in html
    assert 'name="key"' in html and "HX-Request" in fragment.headers["Vary"]
    assert "<html" in client.get(f"/settings/custom-fields/{field.id}/edit").get_data(as_text=True)


def test_archived_fields_leave_the_form_but_keep_their_values(client, csrf, make, admin, db_session):
    field = define(admin, ("tier", "text", ()))["tier"]
    contact = make.contact(admin, last_name="Kiss")
    put(admin, contact, {"tier": "gold"})
    token = csrf("/settings/custom-fields")
    client.post(f"/settings/custom-fields/{field.id}/archive", data={"csrf_token": token, "archived": "1"})
    assert 'name="cf_tier"' not in client.get(f"/contacts/{contact.id}/edit").get_data(as_text=True)
    assert client.post(f"/contacts/{contact.id}/edit", data={"csrf_token": token, "last_name": "Kiss",
                                                            "email": contact.email}).status_code == 303
    with tenancy.scoped(admin.id):
        assert [v.text_value for v in db_session.scalars(select(CustomFieldValue))] == ["gold"]
    client.post(f"/settings/custom-fields/{field.id}/archive", data={"csrf_token": token, "archived": "0"})
    assert 'value="gold"' in client.get(f"/contacts/{contact.id}/edit").get_data(as_text=True)
