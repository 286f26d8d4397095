"""Two-key encryption of backup files.

Scheme (version 1):

- The offline key is an X25519 key pair. Only its public half (``BACKUP_RECIPIENT_PUBLIC_KEY``)
  is on the server; the private half is handed to ``flask backups check|restore`` at call time.
- The online key (``BACKUP_ONLINE_KEY``) is a secret string configured on the server.
- Each backup makes a fresh ephemeral X25519 key pair and a random salt. The data key is
  ``HKDF-SHA256(ikm = SHA-256(online key) || X25519(ephemeral, recipient), salt, info)``: whoever
  decrypts needs the online key *and* the offline private key (to redo the exchange).
- The payload is cut into 1 MiB chunks, each sealed with AES-256-GCM; the nonce is the chunk
  number, and the associated data binds the header, the chunk number and a "last chunk" flag, so
  reordered, truncated or altered files are refused.

File layout: ``MAGIC`` | u32 header length | header JSON | records of (u32 length | sealed chunk).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"BIZALOM-BACKUP\x00v1\n"
INFO = b"bizalom backup data key v1"
CHUNK = 1024 * 1024
MAX_HEADER = 64 * 1024


class BackupCryptoError(ValueError):
    """The file is not a backup, is damaged, or the keys do not open it."""


@dataclass(frozen=True)
class KeyPair:
    private: str  # base64 of the raw 32-byte X25519 private key (offline)
    public: str  # base64 of the raw 32-byte public key (configured on the server)


def generate_key_pair() -> KeyPair:
    private = X25519PrivateKey.generate()
    raw_private = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                        serialization.NoEncryption())
    raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return KeyPair(base64.b64encode(raw_private).decode(), base64.b64encode(raw_public).decode())


def _raw_key(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (ValueError, AttributeError) as exc:
        raise BackupCryptoError(f"the {what} is not base64") from exc
    if len(raw) != 32:
        raise BackupCryptoError(f"the {what} must be 32 bytes (base64 of a raw X25519 key)")
    return raw


def public_key(text: str) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(_raw_key(text, "recipient public key"))


def private_key(text: str) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(_raw_key(text, "offline private key"))


def _data_key(online_key: str, shared: bytes, salt: bytes) -> bytes:
    if not online_key or len(online_key) < 16:
        raise BackupCryptoError("the online backup key must be at least 16 characters")
    ikm = hashlib.sha256(online_key.encode()).digest() + shared
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=INFO).derive(ikm)


def _aad(header_digest: bytes, index: int, last: bool) -> bytes:
    return header_digest + struct.pack(">QB", index, 1 if last else 0)


def _nonce(index: int) -> bytes:
    return struct.pack(">IQ", 0, index)  # unique per chunk; the key is unique per file


class EncryptingWriter:
    """A write-only file object: everything written is sealed into ``out`` chunk by chunk."""

    def __init__(self, out: BinaryIO, online_key: str, recipient_public: str):
        ephemeral = X25519PrivateKey.generate()
        salt = os.urandom(32)
        shared = ephemeral.exchange(public_key(recipient_public))
        self._aead = AESGCM(_data_key(online_key, shared, salt))
        eph_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        header = json.dumps({"scheme": "x25519-hkdf-sha256-aes256gcm", "chunk": CHUNK,
                             "ephemeral": base64.b64encode(eph_public).decode(),
                             "salt": base64.b64encode(salt).decode()}, sort_keys=True).encode()
        out.write(MAGIC + struct.pack(">I", len(header)) + header)
        self._digest = hashlib.sha256(MAGIC + header).digest()
        self._out, self._buffer, self._index, self.closed = out, bytearray(), 0, False

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._index), chunk, _aad(self._digest, self._index, last))
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._index += 1

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True


def _read_exact(source: BinaryIO, size: int, what: str) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise BackupCryptoError(f"the backup file is truncated ({what})")
    return data


def decrypt(source: BinaryIO, out: BinaryIO, online_key: str, offline_private: str) -> int:
    """Open a sealed file into ``out``; returns the plaintext size. Any damage or a wrong key raises."""
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupCryptoError("not a Bizalom backup file (unknown format or damaged start)")
    (length,) = struct.unpack(">I", _read_exact(source, 4, "header length"))
    if length > MAX_HEADER:
        raise BackupCryptoError("the backup header is damaged")
    header_bytes = _read_exact(source, length, "header")
    try:
        header = json.loads(header_bytes)
        ephemeral = X25519PublicKey.from_public_bytes(base64.b64decode(header["ephemeral"]))
        salt = base64.b64decode(header["salt"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupCryptoError("the backup header is damaged") from exc
    shared = private_key(offline_private).exchange(ephemeral)
    aead = AESGCM(_data_key(online_key, shared, salt))
    digest = hashlib.sha256(MAGIC + header_bytes).digest()
    index, total, record = 0, 0, source.read(4)
    while record:
        if len(record) != 4:
            raise BackupCryptoError("the backup file is truncated (record)")
        (size,) = struct.unpack(">I", record)
        if size > CHUNK + 16:
            raise BackupCryptoError("the backup file is damaged (chunk size)")
        sealed = _read_exact(source, size, "chunk")
        after = source.read(4)
        try:
            chunk = aead.decrypt(_nonce(index), sealed, _aad(digest, index, last=not after))
        except InvalidTag as exc:
            raise BackupCryptoError("cannot decrypt: wrong online key or offline key, or the file is damaged") \
                from exc
        out.write(chunk)
        total, index, record = total + len(chunk), index + 1, after
    if index == 0:
        raise BackupCryptoError("the backup file is truncated (no data)")
    return total
