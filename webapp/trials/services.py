"""Trial sign-up: a trial tenant whose first admin activates by e-mail; closing; expiry; the lead trail."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from webapp import clock, crypto
from webapp.accounts import services as accounts
from webapp.extensions import db
from webapp.leads import services as leads
from webapp.legalbasis import services as ledger
from webapp.messaging.services import queue_email
from webapp.newsletter.services import record_evidence
from webapp.tenant_admin import tenant_states
from webapp.tenant_admin.models import Invitation
from webapp.tenants.models import Tenant
from webapp.trials.models import TermsVersion, TrialSignup, TrialStatement

ACTIVATION_LIFETIME = timedelta(days=7)


def current_terms() -> TermsVersion | None:
    return db.session.scalars(select(TermsVersion).order_by(TermsVersion.number.desc()).limit(1)).first()


def _slug(company: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", company).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:50] or "trial"
    return f"{base}-{crypto.new_token(4).lower().replace('_', '').replace('-', '')[:6]}"


def sign_up(name: str, email: str, phone: str, company: str, statements: dict[str, bool], form: str) -> bool:
    """Create the trial (tenant, pending admin invitation, lead, evidence). False: the address is taken.

    The answer to the visitor is the same either way; an address that already has an account or a
    trial waiting for activation gets an e-mail saying so instead of a second trial.
    """
    terms = current_terms()
    if terms is None:
        raise RuntimeError("no terms version is published")
    email = accounts.normalize_email(email)
    lead = leads.upsert(email, name, "trial", phone=phone)
    leads.touch(lead)
    if accounts.find_by_email(email) is not None or _pending_activation(email):
        queue_email(email, _("Your Bizalom trial"),
                    _("Hello %(name)s,\n\nsomeone (we hope you) asked for a Bizalom trial with this address. The "
                      "address already has an account or a trial waiting for activation, so no second trial was "
                      "created. You can sign in, or reset your password from the sign-in page.", name=lead.name))
        return False
    tenant = Tenant(name=company.strip(), slug=_slug(company), state="trial")
    db.session.add(tenant)
    db.session.flush()
    signup = TrialSignup(lead_id=lead.id, tenant_id=tenant.id, terms_version_id=terms.id, form=form[:60])
    db.session.add(signup)
    db.session.flush()
    now = clock.now()
    db.session.add_all(TrialStatement(signup_id=signup.id, statement=key, given=given, at=now)
                       for key, given in statements.items())
    record_evidence(lead, "trial", "requested", form)
    ledger.set_basis(lead.id, "trial", "legitimate_interest", "trial_form")
    if statements.get("marketing_contact"):
        ledger.set_basis(lead.id, "marketing_contact", "consent", "trial_form_checkbox")
    _invite_admin(tenant, email, name)
    return True


def _pending_activation(email: str) -> bool:
    return db.session.scalar(select(Invitation.id).where(
        Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
        Invitation.expires_at > clock.now()).limit(1)) is not None


def _invite_admin(tenant: Tenant, email: str, name: str) -> None:
    token = crypto.new_token()
    db.session.add(Invitation(tenant_id=tenant.id, email=email, name=name.strip(), role="admin",
                              token_hash=crypto.token_hash(token), expires_at=clock.now() + ACTIVATION_LIFETIME))
    db.session.flush()
    link = url_for("tenant_admin.invitations.accept", token=token, _external=True)
    queue_email(email, _("Activate your Bizalom trial"),
                _("Hello %(name)s,\n\nyour trial for %(company)s is ready. Choose your password and start within "
                  "7 days with this link (it works once):\n\n%(link)s\n\nThe trial runs for %(days)s days. "
                  "If you did not ask for it, ignore this e-mail.", name=name, company=tenant.name, link=link,
                  days=current_app.config["TRIAL_LENGTH_DAYS"]))


def signup_for(tenant_id: int) -> TrialSignup | None:
    return db.session.scalars(select(TrialSignup).where(TrialSignup.tenant_id == tenant_id)
                              .order_by(TrialSignup.id.desc()).limit(1)).first()


def close(tenant: Tenant, actor=None, reason: str = "trial_closed") -> bool:
    """Close the trial now; its data is deleted TRIAL_DATA_DAYS later unless it subscribes before."""
    changed = tenant_states.change_state(tenant, "closed", actor)
    signup = signup_for(tenant.id)
    if changed and signup is not None:
        ledger.end_basis(signup.lead_id, "trial", reason)
    return changed


def on_subscribed(tenant_id: int) -> None:
    """Subscribing turns the trial's legitimate interest into a contract (marketing consent is untouched)."""
    signup = signup_for(tenant_id)
    if signup is not None:
        ledger.end_basis(signup.lead_id, "trial", "subscribed")
        ledger.set_basis(signup.lead_id, "contract", "contract", "subscribed")


def close_expired() -> int:
    """Trials older than TRIAL_LENGTH_DAYS close (the periodic job)."""
    cutoff = clock.now() - timedelta(days=current_app.config["TRIAL_LENGTH_DAYS"])
    expired = list(db.session.scalars(select(Tenant).where(Tenant.state == "trial", Tenant.created_at < cutoff)))
    for tenant in expired:
        close(tenant, reason="trial_expired")
    return len(expired)
