"""Sign in with a linked SSO identity; link and unlink identities from the security page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts import login_flow
from webapp.accounts.events import security_event
from webapp.accounts.reauth import require_recent_auth
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.sso import flow, providers, services
from webapp.sso.providers import Provider
from webapp.sso.services import LinkOutcome

bp = Blueprint("sso", __name__)


def _provider_or_404(name: str) -> Provider:
    provider = providers.get(name)
    if provider is None:
        abort(404)
    return provider


def _failure_message(reason: str, provider: Provider) -> str:
    name = str(provider.label)
    messages = {
        "denied": _("The sign-in with %(provider)s was cancelled. Nothing was changed.", provider=name),
        "state": _("This sign-in could not be verified: it expired, or it was started in another browser "
                   "or opened twice. Nothing was changed. Please start again."),
        "unreachable": _("%(provider)s cannot be reached right now. Please try again later.", provider=name),
        "provider_error": _("%(provider)s reported a problem. Nothing was changed. Please try again later.",
                            provider=name),
    }
    return messages.get(reason, _("The answer from %(provider)s could not be verified, so it was not used. "
                                  "Nothing was changed. Please try again.", provider=name))


def _failed(error: flow.SsoError, provider: Provider):
    if error.intent == "login" and not current_user.is_authenticated:
        security_event("login_failed", None, method="sso", provider=provider.name, reason=error.reason)
        db.session.commit()
    flash(_failure_message(error.reason, provider), "error")
    return see_other("account.security" if current_user.is_authenticated else "accounts.login")


@bp.get("/sso/<provider>/login")
@allow("public")
def login(provider: str):
    config = _provider_or_404(provider)
    try:
        url = flow.start(config, "login", request.args.get("next"))
    except flow.SsoError as error:
        return _failed(error, config)
    return redirect(url, code=302)


@bp.get("/sso/<provider>/callback")
@allow("public")
def callback(provider: str):
    config = _provider_or_404(provider)
    try:
        started, subject = flow.finish(config)
    except flow.SsoError as error:
        return _failed(error, config)
    if started["intent"] == "link":
        return _link(config, subject)
    return _sign_in(config, subject, started["next"])


def _sign_in(provider: Provider, subject: str, next_url: str):
    identity = services.identity_for(provider.name, subject)
    user = services.user_of(identity)
    if user is None:  # never looked up by e-mail: an unlinked identity signs in nobody
        security_event("login_failed", None, method="sso", provider=provider.name, reason="not_linked")
        db.session.commit()
        return render("sso/not_linked.html", "sso/_not_linked.html", provider=provider)
    if not services.may_sign_in(user):
        security_event("login_failed", user, method="sso", provider=provider.name, reason="unavailable")
        db.session.commit()
        flash(_("This account cannot sign in right now. Please ask your administrator."), "error")
        return see_other("accounts.login")
    services.record_login(identity)
    security_event("sso_login", user, provider=provider.name)
    response = login_flow.finish_primary(user, "sso", next_url)
    db.session.commit()
    return response


def _link(provider: Provider, subject: str):
    outcome = services.link(current_user, provider.name, subject)
    name = str(provider.label)
    if outcome is LinkOutcome.TAKEN:
        flash(_("This %(provider)s identity is already linked to another Bizalom account, so it was not linked "
                "to yours.", provider=name), "error")
    elif outcome is LinkOutcome.ALREADY_YOURS:
        flash(_("This %(provider)s identity was already linked to your account.", provider=name), "info")
    else:
        security_event("sso_linked", current_user, provider=provider.name)
        flash(_("You can now sign in with %(provider)s.", provider=name), "success")
    db.session.commit()
    return see_other("account.security")


@bp.post("/account/sso/<provider>/link")
@allow("authenticated")
@require_recent_auth
def link(provider: str):
    config = _provider_or_404(provider)
    try:
        url = flow.start(config, "link")
    except flow.SsoError as error:
        return _failed(error, config)
    # A page, not a redirect: browsers apply the CSP form-action 'self' to redirects after a POST.
    response = render("sso/continue.html", "sso/_continue.html", provider=config, url=url)
    response.headers["Refresh"] = f"0; url={url}"
    return response


@bp.post("/account/sso/<int:identity_id>/unlink")
@allow("authenticated")
@require_recent_auth
def unlink(identity_id: int):
    identity = services.unlink(current_user.id, identity_id)
    if identity is None:
        abort(404)
    security_event("sso_unlinked", current_user, provider=identity.provider)
    db.session.commit()
    flash(_("The sign-in with %(provider)s was removed from your account.",
            provider=str(providers.label_of(identity.provider))), "success")
    return see_other("account.security")
