"""The authorization code flow: PKCE (S256), state and nonce, then a fully checked ID token.

``start`` remembers one flow in the Flask session (provider, state, intent, who asked, where to
go next); ``finish`` consumes it whatever the outcome, so a callback works at most once. The ID
token must be signed by a key of the provider's JWKS and carry the expected issuer, audience
(our client id), nonce and an unexpired ``exp``. Anything else raises ``SsoError``.
"""

from __future__ import annotations

import logging

from authlib.common.errors import AuthlibBaseError
from flask import request, session, url_for
from flask_login import current_user
from joserfc.errors import JoseError
from requests import RequestException

from webapp import clock
from webapp.crypto import new_token, same
from webapp.http import safe_next
from webapp.sso import providers
from webapp.sso.providers import Provider

log = logging.getLogger("bizalom.sso")
FLOW_KEY = "sso_flow"
FLOW_SECONDS = 600
INTENTS = ("login", "link")
# What an untrusted or unreachable provider can make Authlib raise.
PROVIDER_ERRORS = (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError, TypeError, RuntimeError)


class SsoError(Exception):
    """The flow failed; nothing was changed. ``reason`` selects the message shown."""

    def __init__(self, reason: str, intent: str = "login"):
        super().__init__(reason)
        self.reason, self.intent = reason, intent


def _callback_url(provider: Provider) -> str:
    return url_for("sso.callback", provider=provider.name, _external=True)


def start(provider: Provider, intent: str, next_url: str | None = None) -> str:
    """Remember a new flow and return the provider's authorization URL."""
    if intent not in INTENTS:
        raise ValueError(f"unknown sso intent {intent!r}")
    client = providers.client_for(provider)
    redirect_uri, state = _callback_url(provider), new_token()
    try:
        authorization = client.create_authorization_url(redirect_uri, state=state)
    except PROVIDER_ERRORS as exc:
        log.warning("sso %s: discovery failed (%s)", provider.name, type(exc).__name__)
        raise SsoError("unreachable", intent) from exc
    client.save_authorize_data(redirect_uri=redirect_uri, **authorization)
    session[FLOW_KEY] = {"provider": provider.name, "state": state, "intent": intent,
                         "uid": current_user.id if intent == "link" else None,
                         "next": safe_next(next_url, "/"), "at": clock.now().timestamp()}
    return authorization["url"]


def _take_flow(provider: Provider) -> dict:
    """The flow this callback answers (removed from the session), or SsoError("state")."""
    flow = session.pop(FLOW_KEY, None)
    if not isinstance(flow, dict) or flow.get("intent") not in INTENTS:
        raise SsoError("state")
    state = request.args.get("state", "")
    fresh = clock.now().timestamp() - float(flow.get("at", 0)) <= FLOW_SECONDS
    if flow.get("provider") != provider.name or not state or not same(state, flow.get("state", "")) or not fresh:
        providers.client_for(provider).framework.clear_state_data(session, state)
        raise SsoError("state", flow["intent"])
    return flow


def _claims_options(provider: Provider, client) -> dict:
    issuer = client.load_server_metadata()["issuer"]
    return {"iss": {"essential": True, "values": [issuer, *provider.issuers]},
            "aud": {"essential": True, "value": provider.client_id},
            "sub": {"essential": True}}


def _subject(provider: Provider, intent: str) -> str:
    client = providers.client_for(provider)
    try:
        token = client.authorize_access_token(claims_options=_claims_options(provider, client))
    except PROVIDER_ERRORS as exc:
        log.warning("sso %s: answer refused (%s: %s)", provider.name, type(exc).__name__, str(exc)[:200])
        raise SsoError("invalid", intent) from exc
    claims = token.get("userinfo")  # only present when an ID token was checked
    subject = claims.get("sub") if claims else None
    if not isinstance(subject, str) or not 0 < len(subject) <= 255:
        log.warning("sso %s: no usable ID token", provider.name)
        raise SsoError("invalid", intent)
    return subject


def finish(provider: Provider) -> tuple[dict, str]:
    """Check the callback; return the flow and the verified subject, or raise SsoError."""
    flow = _take_flow(provider)
    intent = flow["intent"]
    error = request.args.get("error")
    if error:
        providers.client_for(provider).framework.clear_state_data(session, flow["state"])
        log.info("sso %s: provider answered %s", provider.name, error[:40])
        raise SsoError("denied" if error == "access_denied" else "provider_error", intent)
    if intent == "link" and not (current_user.is_authenticated and current_user.id == flow["uid"]):
        raise SsoError("state", intent)
    return flow, _subject(provider, intent)
