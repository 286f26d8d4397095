"""Where uploads, staged rows and reports live: ``INSTANCE_PATH/imports/<tenant>/<random name>``.

Names are random (never the user's file name); files are created exclusively, readable by the
owner only, and deleted after ``IMPORT_FILE_RETENTION_DAYS``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from werkzeug.exceptions import RequestEntityTooLarge

CHUNK = 1024 * 1024
SUFFIXES = ("", ".staged", ".report")
FILE_NAME_LENGTH = 200


def root() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "imports"


def tenant_dir(tenant_id: int) -> Path:
    folder = root() / str(int(tenant_id))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def path_of(tenant_id: int, stored_name: str, suffix: str = "") -> Path:
    if suffix not in SUFFIXES or not stored_name.isalnum():
        raise ValueError("not an import file name")
    return tenant_dir(tenant_id) / f"{stored_name}{suffix}"


def create_exclusive(path: Path, mode: str = "wb"):
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    return os.fdopen(descriptor, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""}))


@dataclass(frozen=True)
class Stored:
    name: str
    path: Path
    size: int
    sha256: str


def store_upload(stream, tenant_id: int, max_bytes: int) -> Stored:
    """Copy an upload to a new random file, hashing as it goes; 413 (and nothing kept) if too large."""
    name = secrets.token_hex(16)
    path = path_of(tenant_id, name)
    digest, size = hashlib.sha256(), 0
    try:
        with create_exclusive(path) as target:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise RequestEntityTooLarge()
                digest.update(chunk)
                target.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Stored(name, path, size, digest.hexdigest())


def delete_all(tenant_id: int, stored_name: str) -> None:
    for suffix in SUFFIXES:
        path_of(tenant_id, stored_name, suffix).unlink(missing_ok=True)


def display_name(raw: str | None) -> str:
    """The file name as given, for display only: no folders, no control characters, length-limited."""
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    return text[:FILE_NAME_LENGTH] or "upload"


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """The OWASP rule against formula injection: a leading apostrophe before a trigger character
    (also after leading spaces, which some spreadsheets skip)."""
    return "'" + text if text.lstrip(" ").startswith(FORMULA_TRIGGERS) else text
