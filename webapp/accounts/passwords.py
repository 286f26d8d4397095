"""Password hashing with argon2id; hashes are upgraded when the parameters change."""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# RFC 9106 second recommended option, with memory raised above OWASP's floor.
_hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=1, hash_len=32, salt_len=16,
                         type=Type.ID)
_DUMMY_HASH = None


def hash_password(password: str) -> str:
    return _hasher.hash(unicodedata.normalize("NFC", password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not an account exists: a dummy hash is checked instead."""
    global _DUMMY_HASH
    if stored_hash is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = _hasher.hash("not a real password, only for timing")
        stored_hash, password = _DUMMY_HASH, password + "\x00never"
    try:
        return _hasher.verify(stored_hash, unicodedata.normalize("NFC", password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
