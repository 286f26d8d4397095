"""Authorization matrix, generated from the app's route map: every route x every kind of principal.

Every endpoint must appear in EXPECTED_RULES (a new route without an entry fails), its view must
declare that rule, and a real request by each principal must be allowed or refused accordingly.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter, Rule

from tests.conftest import csrf_from
from webapp.accounts.models import STAFF_ROLES
from webapp.authz.policy import rule_for

# "granted_consultant": a staff consultant with an active grant for the tenant whose id the probe
# URLs use (PROBE_ID); "staff_consultant" has no grant.
PROBE_ID = 999999
PRINCIPALS = ("anonymous", "tenant_user", "tenant_admin", *(f"staff_{role}" for role in STAFF_ROLES),
              "granted_consultant")
STAFF = {f"staff_{role}" for role in STAFF_ROLES} | {"granted_consultant"}
SIGNED_IN = set(PRINCIPALS) - {"anonymous"}

ALLOWED = {
    "public": set(PRINCIPALS),
    "pending_login": set(PRINCIPALS),
    "authenticated": SIGNED_IN,
    "tenant_member": {"tenant_user", "tenant_admin"},
    "tenant_admin": {"tenant_admin"},
    "staff": STAFF,
    "staff:support,operator": {"staff_support", "staff_operator"},
    "staff:operator": {"staff_operator"},
    "staff:sales,privacy_officer,operator": {"staff_sales", "staff_privacy_officer", "staff_operator"},
    "staff:consultant": {"staff_consultant", "granted_consultant"},
    "staff:sales,operator": {"staff_sales", "staff_operator"},
    "staff:consultant,sales": {"staff_consultant", "granted_consultant", "staff_sales"},
    "staff:privacy_officer": {"staff_privacy_officer"},
    "staff:privacy_officer,operator": {"staff_privacy_officer", "staff_operator"},
    "consultant_grant": {"granted_consultant"},
}

EXPECTED_RULES = {
    "static": "public",
    "public.home": "public",
    "health.healthz": "public",
    "health.readyz": "public",
    "i18n.switch_language": "public",
    "accounts.login": "public",
    "accounts.verify": "pending_login",
    "accounts.send_sms_code": "pending_login",
    "accounts.logout": "authenticated",
    "password.forgot": "public",
    "password.reset": "public",
    "password.strength": "public",
    "account.security": "authenticated",
    "account.end_session": "authenticated",
    "account.revoke_device": "authenticated",
    "account.change_password": "authenticated",
    "account.change_email": "authenticated",
    "account.confirm_email": "public",
    "account.reauth": "authenticated",
    "twofactor.setup": "authenticated",
    "twofactor.confirm": "authenticated",
    "twofactor.recovery_codes": "authenticated",
    "twofactor.remove_totp": "authenticated",
    "twofactor.phone": "authenticated",
    "twofactor.confirm_phone": "authenticated",
    "jobs.progress": "authenticated",
    "tenant_admin.users": "tenant_admin",
    "tenant_admin.unlock": "tenant_admin",
    "tenant_admin.security": "tenant_admin",
    "tenant_admin.role": "tenant_admin",
    "tenant_admin.disable": "tenant_admin",
    "tenant_admin.enable": "tenant_admin",
    "tenant_admin.invitations.new": "tenant_admin",
    "tenant_admin.invitations.withdraw": "tenant_admin",
    "tenant_admin.invitations.accept": "public",
    "tenant_admin.grants.index": "tenant_admin",
    "tenant_admin.grants.revoke": "tenant_admin",
    "tenant_admin.consultant.tenants": "staff:consultant",
    "tenant_admin.consultant.settings": "consultant_grant",
    "tenant_admin.consultant.security": "consultant_grant",
    "staff.accounts": "staff:support,operator",
    "backups.index": "staff:operator",
    "staff.unlock": "staff:support,operator",
    "analytics.index": "staff:sales,privacy_officer,operator",
    "crm.contacts": "tenant_member",
    "crm.new_contact": "tenant_member",
    "crm.contact": "tenant_member",
    "crm.row": "tenant_member",
    "crm.edit": "tenant_member",
    "crm.bulk": "tenant_member",
    "companies.companies": "tenant_member",
    "companies.new_company": "tenant_member",
    "companies.company": "tenant_member",
    "companies.row": "tenant_member",
    "companies.edit": "tenant_member",
    "companies.bulk": "tenant_member",
    "companies.trash": "tenant_member",
    "companies.link": "tenant_member",
    "companies.unlink": "tenant_member",
    "companies.contact_options": "tenant_member",
    "companies.options": "tenant_member",
    "crm_settings.settings": "tenant_admin",
    "activities.add_note": "tenant_member",
    "activities.edit_note": "tenant_member",
    "activities.delete_note": "tenant_member",
    "activities.add_task": "tenant_member",
    "activities.task_done": "tenant_member",
    "activities.delete_task": "tenant_member",
    "activities.timeline_page": "tenant_member",
    "activities.my_tasks": "tenant_member",
    "messaging.outbox": "staff:operator",
    "audit.log": "tenant_admin",
    "imports.index": "tenant_member",
    "imports.upload": "tenant_member",
    "imports.mapping": "tenant_member",
    "imports.status": "tenant_member",
    "imports.rejection_report": "tenant_member",
    "trash.index": "tenant_member",
    "trash.restore": "tenant_member",
    "exports.index": "tenant_admin",
    "customfields.index": "tenant_admin",
    "customfields.create": "tenant_admin",
    "customfields.edit": "tenant_admin",
    "customfields.archive": "tenant_admin",
    "customfields.move": "tenant_admin",
    "exports.start": "tenant_admin",
    "exports.status": "tenant_admin",
    "exports.download": "tenant_admin",
    "sso.login": "public",
    "sso.callback": "public",
    "sso.link": "authenticated",
    "sso.unlink": "authenticated",
    "messaging.sms_status": "public",
    "billing.mine": "tenant_admin",
    "billing.invoice": "authenticated",
    "billing_staff.overview": "staff:sales,operator",
    "billing_staff.tenant": "staff:sales,operator",
    "billing_staff.start_subscription": "staff:sales,operator",
    "billing_staff.end_subscription": "staff:sales,operator",
    "billing_staff.draft_for_month": "staff:sales,operator",
    "billing_staff.edit_invoice": "staff:sales,operator",
    "billing_staff.issue_invoice": "staff:sales,operator",
    "billing_staff.delete_invoice": "staff:sales,operator",
    "newsletter.signup": "public",
    "newsletter.check_inbox": "public",
    "newsletter.confirm": "public",
    "newsletter.unsubscribe": "public",
    "newsletter.click": "public",
    "newsletter_staff.index": "staff:sales,operator",
    "workshops.signup": "public",
    "workshops.thanks": "public",
    "workshops.stop_contact": "public",
    "workshops.requests": "staff:consultant,sales",
    "workshops.book": "staff:consultant,sales",
    "workshops.staff_stop": "staff:consultant,sales",
    "leads_staff.index": "staff:consultant,sales",
    "leads_staff.record": "staff:consultant,sales",
    "leads_staff.update_profile": "staff:consultant,sales",
    "calls.log": "staff:consultant,sales",
    "calls.review": "staff:sales,operator",
    "segments.index": "staff:sales,operator",
    "segments.count": "staff:sales,operator",
    "segments.save": "staff:sales,operator",
    "trials.signup": "public",
    "trials.check_inbox": "public",
    "trials.terms": "public",
    "trials.status": "tenant_admin",
    "trials.close": "tenant_admin",
    "widgets.frame": "public",
    "widgets.origins": "staff:operator",
    "widgets.remove_origin": "staff:operator",
    "transfers.index": "staff:privacy_officer",
    "mydata.index": "public",
    "mydata.open_link": "public",
    "mydata.close": "public",
    "mydata.make_request": "public",
    "integrations.index": "tenant_admin",
    "integrations.enable": "tenant_admin",
    "integrations.disable": "tenant_admin",
    "integrations.feed": "public",
    "dsr.queue": "staff:privacy_officer",
    "dsr.new": "staff:privacy_officer",
    "dsr.detail": "staff:privacy_officer",
    "dsr.start": "staff:privacy_officer",
    "dsr.extend": "staff:privacy_officer",
    "dsr.close": "staff:privacy_officer",
    "dsr.restriction": "staff:privacy_officer",
    "dsr.rectification": "staff:privacy_officer",
    "leads_staff.log_reply": "staff:consultant,sales",
    "erasure.confirm": "staff:privacy_officer",
    "erasure.erase": "staff:privacy_officer",
    "reports.portal_start": "public",
    "reports.portal_status": "public",
    "reports.portal_download": "public",
    "reports.console_start": "staff:privacy_officer",
    "reports.console_status": "staff:privacy_officer",
    "reports.console_download": "staff:privacy_officer",
    "notices.privacy": "public",
    "notices.versions": "public",
    "notices.version": "public",
    "notices.diff": "public",
    "notices_staff.index": "staff:privacy_officer",
    "notices_staff.create_draft": "staff:privacy_officer",
    "notices_staff.edit": "staff:privacy_officer",
    "notices_staff.preview": "staff:privacy_officer",
    "notices_staff.publish": "staff:privacy_officer",
    "notices_staff.diff": "staff:privacy_officer",
    "site.product": "public",
    "site.pricing": "public",
    "site.imprint": "public",
    "site.authority": "public",
    "site_staff.index": "staff:privacy_officer,operator",
    "site_staff.edit_page": "staff:privacy_officer,operator",
    "site_staff.edit_authority": "staff:privacy_officer",
    "subprocessors.public_list": "public",
    "subprocessors_staff.index": "staff:privacy_officer",
    "subprocessors_staff.create": "staff:privacy_officer",
    "subprocessors_staff.edit": "staff:privacy_officer",
    "subprocessors_staff.delete": "staff:privacy_officer",
    "processing.index": "staff:privacy_officer",
    "processing.show": "staff:privacy_officer",
    "processing.edit": "staff:privacy_officer",
    "processing.version": "staff:privacy_officer",
    "retention.index": "staff:privacy_officer",
    "retention.preview": "staff:privacy_officer",
    "retention.run": "staff:privacy_officer",
    "retention.add_hold": "staff:privacy_officer",
    "retention.release_hold": "staff:privacy_officer",
    "consent.decide": "public",
    "consent.settings": "public",
    "consent.save_settings": "public",
    "consent_staff.evidence_list": "staff:privacy_officer",
    "consent_staff.evidence_export": "staff:privacy_officer",
    "consent_staff.tag_settings": "staff:operator",
    "consent_staff.save_tag_settings": "staff:operator",
}


def _routes(app) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "accounts.logout", r.endpoint, r.rule))


def test_every_route_has_a_declared_and_expected_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing_from_table = endpoints - set(EXPECTED_RULES)
    assert missing_from_table == set(), "add the new routes to EXPECTED_RULES with their intended rule"
    assert set(EXPECTED_RULES) - endpoints == set(), "stale entries in EXPECTED_RULES"
    with app.test_request_context():
        declared = {endpoint: rule_for(endpoint) for endpoint in endpoints}
    assert {e: r for e, r in declared.items() if r != EXPECTED_RULES[e]} == {}


def _url(rule: Rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        values[name] = PROBE_ID if isinstance(converter, IntegerConverter) else "matrix-probe"
    url = rule.rule
    for name, value in values.items():
        url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
        url = url.replace(f"<path:{name}>", str(value))
    return url


def _client_for(app, principal, make):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if principal == "anonymous":
        return client
    if principal.startswith("staff_"):
        user = make.user(staff_role=principal.removeprefix("staff_"))
    elif principal == "granted_consultant":
        user = _granted_consultant(make)
    else:
        user = make.user(tenant=make.tenant(), role="admin" if principal == "tenant_admin" else "user")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": make.PASSWORD, "csrf_token": token})
    assert response.status_code == 303, principal
    return client


def _granted_consultant(make):
    from datetime import timedelta

    from webapp import clock
    from webapp.tenants.models import ConsultantGrant

    consultant, tenant = make.user(staff_role="consultant"), make.tenant(id=PROBE_ID)
    make.session.add(ConsultantGrant(tenant_id=tenant.id, consultant_id=consultant.id,
                                     expires_at=clock.now() + timedelta(days=1)))
    make.session.flush()
    return consultant


def _request(client, rule: Rule):
    url = _url(rule)
    if "GET" in rule.methods:
        return client.get(url if rule.endpoint != "static" else "/static/css/app.css")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token}, headers={"X-CSRFToken": token})


def _refused(response, principal) -> bool:
    if response.status_code == 403:
        return True
    location = response.headers.get("Location", "")
    return principal == "anonymous" and response.status_code == 302 and location.startswith("/login")


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_matrix(app, db_session, make, principal):
    client = _client_for(app, principal, make)
    failures = []
    for rule in _routes(app):
        expected_allowed = principal in ALLOWED[EXPECTED_RULES[rule.endpoint]]
        response = _request(client, rule)
        refused = _refused(response, principal)
        if refused == expected_allowed:
            failures.append(f"{rule.endpoint} {rule.rule}: status {response.status_code}, "
                            f"expected {'allow' if expected_allowed else 'deny'}")
        response.close()
    assert failures == []


def test_unknown_rules_are_refused_at_import_time():
    from webapp.authz import allow

    with pytest.raises(ValueError):
        allow("tenant_owner")
    with pytest.raises(ValueError):
        allow("staff:janitor")
