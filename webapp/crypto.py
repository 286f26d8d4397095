"""Small, well-known primitives used across features: random tokens, keyed hashes, field encryption."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """SHA-256 of a high-entropy random token (what the database stores instead of the token)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _derive(purpose: str, length: int = 32) -> bytes:
    secret = current_app.config["SECRET_KEY"].encode()
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode()).derive(secret)


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 under a key derived from SECRET_KEY: correlates values without storing them."""
    return hmac.new(_derive("hmac:" + purpose), value.encode(), hashlib.sha256).hexdigest()


def _fernet() -> Fernet:
    configured = current_app.config.get("DATA_ENCRYPTION_KEY")
    key = configured.encode() if configured else base64.urlsafe_b64encode(_derive("field-encryption"))
    return Fernet(key)


def encrypt(plaintext: str) -> bytes:
    return _fernet().encrypt(plaintext.encode())


def decrypt(ciphertext: bytes) -> str:
    try:
        return _fernet().decrypt(ciphertext).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong key or corrupted data") from exc


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
