"""A real OpenID Connect provider on 127.0.0.1 for tests, built with Authlib's server side.

It serves discovery, JWKS, an authorization endpoint and a token endpoint over HTTP (werkzeug's
``make_server`` in a thread). The authorization code grant requires PKCE (S256) and checks the
``code_verifier``; codes work once; ID tokens are RS256-signed by the key in the JWKS. The
authorization endpoint auto-approves ``subject`` (with ``claims``, which it sends whatever the
scope, like providers that always include the e-mail), or answers ``error=access_denied`` when
``deny`` is set. ``tamper`` makes the next ID tokens wrong in one way: ``nonce``, ``key`` (signed
by another key with the same key id), ``unknown_key``, ``audience``, ``issuer`` or ``expired``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Error, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import grants as oidc_grants
from flask import Flask, jsonify, request
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import WSGIRequestHandler, make_server

CLIENT_ID = "bizalom-test-client"
CLIENT_SECRET = "fake-provider-client-secret"
TAMPERING = ("nonce", "key", "unknown_key", "audience", "issuer", "expired")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        return None


@dataclass
class Person:
    sub: str
    claims: dict


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return scope

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri.startswith(("http://localhost/", "http://127.0.0.1"))

    def check_client_secret(self, client_secret):
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        payload = request.payload
        self.server.fake.codes[code] = Code(
            code, request.client.get_client_id(), payload.redirect_uri, payload.scope, request.user,
            payload.data.get("nonce"), payload.data.get("code_challenge"), payload.data.get("code_challenge_method"))

    def query_authorization_code(self, code, client):
        found = self.server.fake.codes.get(code)
        return found if found is not None and found.client_id == client.get_client_id() else None

    def delete_authorization_code(self, authorization_code):
        self.server.fake.codes.pop(authorization_code.code, None)  # a code works once

    def authenticate_user(self, authorization_code):
        return authorization_code.person


class OpenIdCode(oidc_grants.OpenIDCode):
    def __init__(self, fake: FakeOidcProvider):
        super().__init__(require_nonce=True)
        self.fake = fake

    def exists_nonce(self, nonce, request):
        return any(code.nonce == nonce for code in self.fake.codes.values())

    def resolve_client_private_key(self, client):
        return self.fake.rogue_key if self.fake.tamper == "key" else (
            self.fake.unknown_key if self.fake.tamper == "unknown_key" else self.fake.key)

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": self.resolve_client_private_key(client).kid}

    def get_client_claims(self, client):
        tamper, now = self.fake.tamper, int(time.time())
        claims = {"iss": self.fake.issuer + ("/elsewhere" if tamper == "issuer" else ""),
                  "aud": ["another-client" if tamper == "audience" else client.get_client_id()]}
        if tamper == "expired":
            claims |= {"iat": now - 7200, "exp": now - 3600}
        return claims

    def get_authorization_code_claims(self, authorization_code):
        claims = super().get_authorization_code_claims(authorization_code)
        if self.fake.tamper == "nonce":
            claims["nonce"] = "not-the-nonce-you-sent"
        return claims

    def generate_user_info(self, user, scope):
        return {"sub": user.sub, **user.claims}


class FakeOidcProvider:
    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "fake-key-1", "use": "sig", "alg": "RS256"})
        self.rogue_key = RSAKey.generate_key(2048, parameters={"kid": "fake-key-1", "use": "sig", "alg": "RS256"})
        self.unknown_key = RSAKey.generate_key(2048, parameters={"kid": "rogue-key", "use": "sig", "alg": "RS256"})
        self.client = Client(CLIENT_ID, CLIENT_SECRET)
        self.codes: dict[str, Code] = {}
        self.token_requests: list[dict] = []
        self.reset()
        self._http = make_server("127.0.0.1", 0, self._build_app(), threaded=True,
                                 request_handler=_QuietHandler)
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self._http.server_port}"

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    def start(self) -> FakeOidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def reset(self) -> None:
        self.person, self.deny, self.tamper = Person("subject-0", {}), False, None
        self.codes.clear()
        self.token_requests.clear()

    def sign_in_as(self, sub: str, **claims) -> None:
        """The person the authorization endpoint approves next (as if they had signed in there)."""
        self.person = Person(sub, claims)

    def settings(self, name: str = "Test ID") -> dict:
        """Bizalom's settings for this provider as the generic OpenID Connect provider."""
        return {"OIDC_DISCOVERY_URL": self.discovery_url, "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_NAME": name}

    def authorize(self, authorization_url: str) -> str:
        """What the browser does at the provider: open the authorization URL; returns the path and
        query of the redirect back to the relying party (code and state, or an error)."""
        response = requests.get(authorization_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, (response.status_code, response.text[:300])
        back = urlsplit(response.headers["Location"])
        return f"{back.path}?{back.query}"

    def discovery(self) -> dict:
        return {"issuer": self.issuer, "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token", "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"], "scopes_supported": ["openid", "email"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]}

    def _build_app(self) -> Flask:
        app = Flask("fake_oidc_provider")
        server = AuthorizationServer(app, query_client=lambda cid: self.client if cid == CLIENT_ID else None,
                                     save_token=lambda token, req: None)
        server.fake = self
        server.register_grant(CodeGrant, [CodeChallenge(required=True), OpenIdCode(self)])

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(self.discovery())

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize():
            try:
                grant = server.get_consent_grant(end_user=self.person)
            except OAuth2Error as error:
                return server.handle_error_response(None, error)
            return server.create_authorization_response(grant=grant, grant_user=None if self.deny else self.person)

        @app.post("/token")
        def token():
            self.token_requests.append(request.form.to_dict())
            return server.create_token_response()

        return app
