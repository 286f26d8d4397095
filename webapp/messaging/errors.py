"""How a delivery attempt can fail: worth retrying, or not."""

from __future__ import annotations


class DeliveryError(Exception):
    """A transport or provider could not take the message."""


class TransientError(DeliveryError):
    """Try again later: connection refused, timeout, 4xx SMTP reply, HTTP 5xx/408/429."""


class PermanentError(DeliveryError):
    """Retrying cannot help: recipient refused (SMTP 5xx), HTTP 4xx from the provider."""
