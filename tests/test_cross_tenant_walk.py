"""Another tenant's ids on every tenant route: nothing of theirs is shown, and nothing of theirs changes.

Tenant B holds one record of every kind, each carrying a marker string. An admin of tenant A then
calls every tenant route (GET and POST, with a valid CSRF token) with B's ids in the URL and in
the form, lists and searches for the marker, and exports; B's data must never appear in an answer
or a file, and B's rows must be exactly as before.
"""

from __future__ import annotations

import pathlib
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tests.test_authz_matrix import EXPECTED_RULES
from webapp import clock, tenancy
from webapp.activities.models import Note, Task
from webapp.crm.models import Company, Contact
from webapp.customfields.models import CustomField
from webapp.exports.models import ExportRecord
from webapp.imports.models import ImportRecord
from webapp.tenant_admin.models import Invitation
from webapp.tenants.models import ConsultantGrant

MARK = "Zzleakmarker"  # what A searches for
SECRET = "qwvsecret"  # in every text of B: never in A's answers
TENANT_RULES = ("tenant_member", "tenant_admin")


@pytest.fixture()
def other_tenant(make, db_session):
    """Tenant B with one record of every kind; returns {url argument name: B's id} and a snapshot."""
    tenant = make.tenant(name=f"{MARK} {SECRET} Kft.")
    admin_b = make.user(tenant=tenant, role="admin", name=f"{MARK} {SECRET} Admin", email="admin@qwvsecret.example")
    company = make.company(tenant, name=f"{MARK} {SECRET} Company")
    contact = make.contact(tenant, last_name=f"{MARK} {SECRET} Contact", email="zz@qwvsecret.example",
                           company_id=company.id)
    with tenancy.scoped(tenant.id):
        note = Note(tenant_id=tenant.id, contact_id=contact.id, author_id=admin_b.id, body=f"{MARK} {SECRET} note")
        task = Task(tenant_id=tenant.id, contact_id=contact.id, author_id=admin_b.id, title=f"{MARK} {SECRET} task")
        field = CustomField(tenant_id=tenant.id, entity="contact", key="zzleak", label=f"{MARK} {SECRET} field",
                            field_type="text")
        imported = ImportRecord(tenant_id=tenant.id, user_id=admin_b.id, file_name=f"{MARK}-{SECRET}.csv",
                                stored_name="zzleak-import", size_bytes=10, sha256="0" * 64, file_format="csv")
        exported = ExportRecord(tenant_id=tenant.id, requested_by_id=admin_b.id, entity="contacts", format="csv",
                                filters={}, file_path="zzleak.csv", token_hash="0" * 64,
                                expires_at=clock.now())
        db_session.add_all([note, task, field, imported, exported])
        db_session.flush()
    invitation = Invitation(tenant_id=tenant.id, email="invited@qwvsecret.example", name=f"{MARK} {SECRET} Invited",
                            role="user", token_hash="1" * 64, invited_by_id=admin_b.id, expires_at=clock.now())
    grant = ConsultantGrant(tenant_id=tenant.id, consultant_id=make.user(staff_role="consultant").id,
                            granted_by_id=admin_b.id, expires_at=clock.now())
    db_session.add_all([invitation, grant])
    db_session.flush()
    ids = {"contact_id": contact.id, "company_id": company.id, "note_id": note.id, "task_id": task.id,
           "field_id": field.id, "import_id": imported.id, "export_id": exported.id, "user_id": admin_b.id,
           "invitation_id": invitation.id, "grant_id": grant.id, "record_id": contact.id}
    tenant_id = tenant.id
    db_session.commit()
    return tenant_id, ids


def _snapshot(db_session, tenant_id: int) -> dict:
    with tenancy.scoped(tenant_id):
        return {
            "contacts": sorted(db_session.execute(select(Contact.id, Contact.last_name, Contact.email,
                                                         Contact.company_id, Contact.deleted_at)).all()),
            "companies": sorted(db_session.execute(select(Company.id, Company.name, Company.deleted_at)).all()),
            "notes": sorted(db_session.execute(select(Note.id, Note.body, Note.deleted_at)).all()),
            "tasks": sorted(db_session.execute(select(Task.id, Task.title, Task.done_at, Task.deleted_at)).all()),
            "fields": sorted(db_session.execute(select(CustomField.id, CustomField.label, CustomField.archived,
                                                       CustomField.position)).all()),
            "invitations": db_session.scalar(select(func.count()).where(Invitation.tenant_id == tenant_id,
                                                                         Invitation.revoked_at.is_(None))),
            "grants": db_session.scalar(select(func.count()).where(ConsultantGrant.tenant_id == tenant_id,
                                                                    ConsultantGrant.revoked_at.is_(None))),
        }


def _url(rule, ids: dict) -> str:
    url = rule.rule
    for name in rule.arguments:
        value = "contact" if name == "kind" else ids.get(name, ids["contact_id"])
        url = re.sub(rf"<(?:int:)?{name}>", str(value), url)
    return url


def _form(ids: dict, token: str) -> dict:
    """A form that names B's records everywhere a form can name a record."""
    return {"csrf_token": token, "ids": [ids["contact_id"], ids["company_id"]], "action": "trash",
            "contact_id": ids["contact_id"], "company_id": ids["company_id"], "record_type": "contact",
            "record_id": ids["contact_id"], "role": "admin", "body": "changed", "title": "changed",
            "label": "changed", "direction": "up", "name": "changed", "last_name": "changed",
            "company": f"{MARK} Company", "entity": "contacts", "format": "csv", "mode": "valid_rows",
            "q": MARK}


def test_no_route_shows_or_changes_another_tenants_data(app, client, login, make, db_session, other_tenant):
    tenant_b, ids = other_tenant
    before = _snapshot(db_session, tenant_b)
    login(make.user(role="admin"))
    token = csrf_from(client.get("/contacts").get_data(as_text=True))
    leaks, walked = [], 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if EXPECTED_RULES.get(rule.endpoint) not in TENANT_RULES or rule.endpoint == "trials.close":
            continue
        url = _url(rule, ids)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method, data=_form(ids, token) if method == "POST" else None,
                                   query_string=None if method == "POST" else {"q": MARK})
            walked += 1
            if response.status_code >= 500 or SECRET in response.get_data(as_text=True).lower():
                leaks.append(f"{method} {url}: {response.status_code}")
    assert walked > 60 and leaks == []
    assert _snapshot(db_session, tenant_b) == before


def test_lists_searches_and_exports_hold_only_the_own_tenant(app, client, login, make, db_session, run_jobs,
                                                             other_tenant, tmp_path):
    own = make.user(role="admin")
    make.contact(own.tenant, last_name="Ownperson")
    db_session.commit()
    login(own)
    for path in ("/contacts", "/companies", "/my-tasks", "/audit", "/trash", "/exports", "/imports",
                 "/settings/users", "/settings/custom-fields"):
        body = client.get(path, query_string={"q": MARK}).get_data(as_text=True)
        assert SECRET not in body.lower(), path
    token = csrf_from(client.get("/exports").get_data(as_text=True))
    for fmt in ("csv", "xlsx", "xml"):
        client.post("/exports", data={"entity": "contacts", "format": fmt, "csrf_token": token})
    db_session.commit()
    run_jobs()
    with tenancy.scoped(own.tenant_id):
        records = db_session.scalars(select(ExportRecord).where(ExportRecord.finished_at.is_not(None))).all()
    assert len(records) == 3
    folder = app.config["INSTANCE_PATH"] + "/exports"
    for record in records:
        content = (pathlib.Path(folder) / record.file_path).read_bytes()
        assert SECRET.encode() not in content.lower()


def test_the_marker_is_visible_to_its_own_tenant(client, login, db_session, other_tenant):
    """The control: the same pages show B's data to B's admin, so the walk above can see a leak."""
    from webapp.accounts.models import User

    tenant_b, _ids = other_tenant
    login(db_session.scalars(select(User).where(User.tenant_id == tenant_b, User.role == "admin")).one())
    for path in ("/contacts", "/companies", "/settings/custom-fields", "/settings/users"):
        assert SECRET in client.get(path, query_string={"q": MARK}).get_data(as_text=True).lower(), path
