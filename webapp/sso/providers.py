"""The configured OpenID Connect providers and their Authlib clients.

Settings are read from ``app.config`` on each use (none configured: the feature shows nothing):

* Google: ``GOOGLE_CLIENT_ID`` and ``GOOGLE_CLIENT_SECRET``;
* a generic provider: ``OIDC_DISCOVERY_URL``, ``OIDC_CLIENT_ID``, ``OIDC_CLIENT_SECRET``, and
  ``OIDC_NAME`` (the name shown on buttons, default "Single sign-on").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app
from flask_babel import lazy_gettext as _l

GOOGLE_DISCOVERY_URL = "https://accounts.google.com/.well-known/openid-configuration"
GOOGLE_ISSUERS = ("https://accounts.google.com", "accounts.google.com")
SCOPE = "openid"  # the subject is all we need: no e-mail, no profile
HTTP_TIMEOUT_SECONDS = 10
METADATA_MAX_AGE_SECONDS = 24 * 3600
_CLIENTS = "bizalom.sso.clients"


@dataclass(frozen=True)
class Provider:
    name: str
    discovery_url: str
    client_id: str
    client_secret: str = field(repr=False)
    issuers: tuple[str, ...] = ()  # accepted "iss" values besides the discovery document's issuer
    label: object = field(default="", compare=False)


def configured() -> dict[str, Provider]:
    """The providers with complete settings, by name (``google``, ``oidc``)."""
    config = current_app.config
    providers = {}
    if config.get("GOOGLE_CLIENT_ID") and config.get("GOOGLE_CLIENT_SECRET"):
        providers["google"] = Provider("google", GOOGLE_DISCOVERY_URL, config["GOOGLE_CLIENT_ID"],
                                       config["GOOGLE_CLIENT_SECRET"], GOOGLE_ISSUERS, "Google")
    if all(config.get(key) for key in ("OIDC_DISCOVERY_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")):
        providers["oidc"] = Provider("oidc", config["OIDC_DISCOVERY_URL"], config["OIDC_CLIENT_ID"],
                                     config["OIDC_CLIENT_SECRET"], (),
                                     config.get("OIDC_NAME") or _l("Single sign-on"))
    return providers


def get(name: str) -> Provider | None:
    return configured().get(name)


def label_of(name: str) -> object:
    """The display name of a provider, also for identities of a provider no longer configured."""
    provider = get(name)
    return provider.label if provider is not None else name


def _build(provider: Provider) -> FlaskOAuth2App:
    return FlaskOAuth2App(
        FlaskIntegration(f"sso_{provider.name}"), name=f"sso_{provider.name}",
        client_id=provider.client_id, client_secret=provider.client_secret,
        server_metadata_url=provider.discovery_url,
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": HTTP_TIMEOUT_SECONDS},
    )


def _stale(client: FlaskOAuth2App) -> bool:
    loaded = client.server_metadata.get("_loaded_at")
    return loaded is not None and time.time() - loaded > METADATA_MAX_AGE_SECONDS


def client_for(provider: Provider) -> FlaskOAuth2App:
    """One Authlib client per provider and settings; discovery and keys are fetched once a day
    (and the keys again when a token names an unknown key id)."""
    clients = current_app.extensions.setdefault(_CLIENTS, {})
    cached = clients.get(provider.name)
    if cached is None or cached[0] != provider or _stale(cached[1]):
        cached = clients[provider.name] = (provider, _build(provider))
    return cached[1]
