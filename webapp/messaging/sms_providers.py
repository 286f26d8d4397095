"""SMS provider adapters. +36 numbers take the domestic route, all others the international one.

Each route speaks JSON over HTTP POST to its configured URL with a bearer token, and sends our
idempotency key both as the ``Idempotency-Key`` header and as ``reference`` in the body: a
provider that already has the key answers with the same message and sends nothing again.
Without a URL the route uses the local outbox adapter (no network, recorded as delivered).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from http.client import HTTPException
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from flask import current_app

from webapp.messaging import http_pool, settings
from webapp.messaging.errors import PermanentError, TransientError

RETRYABLE_4XX = (408, 425, 429)
MAX_ANSWER = 64 * 1024


@dataclass(frozen=True)
class Receipt:
    provider: str
    message_id: str | None
    delivered: bool


class OutboxAdapter:
    """The embedded default: nothing leaves the machine; the message counts as delivered."""

    name = "outbox"

    def send(self, to: str, body: str, key: str, pool: http_pool.Pool | None = None) -> Receipt:
        return Receipt(provider=self.name, message_id=f"outbox-{key}", delivered=True)


@dataclass(frozen=True)
class HttpAdapter:
    name: str
    url: str
    token: str
    timeout: float

    def _request(self, to: str, body: str, key: str) -> Request:
        payload = json.dumps({"to": to, "text": body, "reference": key}).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
        return Request(self.url, data=payload, headers=headers, method="POST")  # noqa: S310 - https/http only

    def send(self, to: str, body: str, key: str, pool: http_pool.Pool | None = None) -> Receipt:
        if pool is not None:
            return self._send_pooled(pool, to, body, key)
        try:
            with urlopen(self._request(to, body, key), timeout=self.timeout) as response:  # noqa: S310 - see _checked_url
                answer = response.read(MAX_ANSWER)
        except HTTPError as exc:
            with exc:
                raise _http_error(self.name, exc.code, exc.read(200)) from exc
        except OSError as exc:  # URLError, timeouts, refused connections
            raise TransientError(f"{self.name} provider unreachable: {getattr(exc, 'reason', exc)}") from exc
        return Receipt(provider=self.name, message_id=_message_id(answer), delivered=False)

    def _send_pooled(self, pool: http_pool.Pool, to: str, body: str, key: str) -> Receipt:
        """The same call on a kept-alive connection (``http_pool``), for batch sending."""
        request = self._request(to, body, key)
        try:
            status, answer = pool.post(self.url, request.data, dict(request.header_items()), self.timeout)
        except (OSError, HTTPException) as exc:
            raise TransientError(f"{self.name} provider unreachable: {exc or type(exc).__name__}") from exc
        if status >= 300:
            raise _http_error(self.name, status, answer[:200])
        return Receipt(provider=self.name, message_id=_message_id(answer[:MAX_ANSWER]), delivered=False)


def _http_error(name: str, code: int, detail: bytes) -> Exception:
    text = detail.decode(errors="replace").strip()
    message = f"{name} provider answered HTTP {code}: {text}"[:300]
    if 400 <= code < 500 and code not in RETRYABLE_4XX:
        return PermanentError(message)
    return TransientError(message)


def _message_id(answer: bytes) -> str | None:
    """The provider's id for the message; an unreadable answer to a 2xx still means accepted."""
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    value = data.get("id") or data.get("message_id")
    return str(value)[:100] if value else None


def _checked_url(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme != "https" and (scheme != "http" or current_app.config.get("PRODUCTION")):
        raise TransientError(f"SMS provider URL must be https (http only outside production): {url!r}")
    return url


def adapter_for(route: str) -> HttpAdapter | OutboxAdapter:
    prefix = f"SMS_{route.upper()}"
    url = settings.get(f"{prefix}_URL")
    if not url:
        return OutboxAdapter()
    return HttpAdapter(name=route, url=_checked_url(str(url)), token=str(settings.get(f"{prefix}_TOKEN") or ""),
                       timeout=settings.number("SMS_TIMEOUT"))
