"""Where the backup keys come from.

The online key and the offline key's public half are settings. The offline private key is never
a setting: it is given to ``flask backups check|restore`` at call time (``--offline-key FILE``,
or the file named by the ``BACKUP_OFFLINE_KEY_FILE`` environment variable of that process).

Outside production, when no keys are configured, a set of *test* keys is generated into
``instance/backup-test-keys.json`` (with a loud warning) so that ``make run`` backs up and checks.
Such backups are only as safe as that file.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from webapp.backups.crypto import BackupCryptoError, generate_key_pair

log = logging.getLogger("bizalom.backups")
OFFLINE_KEY_ENV = "BACKUP_OFFLINE_KEY_FILE"
TEST_KEYS_FILE = "backup-test-keys.json"


class MissingKey(BackupCryptoError):
    """A key needed for this step is not configured or not given."""


@dataclass(frozen=True)
class ServerKeys:
    online: str
    recipient_public: str


def _test_keys_path() -> Path:
    return Path(current_app.instance_path) / TEST_KEYS_FILE


def ensure_test_keys() -> dict:
    """The generated development keys (created on first use). Never used in production."""
    path = _test_keys_path()
    if path.exists():
        return json.loads(path.read_text())
    pair = generate_key_pair()
    keys = {"online": secrets.token_urlsafe(32), "public": pair.public, "private": pair.private}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(keys))
    path.chmod(0o600)
    log.warning("generated TEST backup keys in %s: the offline private key sits on this machine, so these "
                "backups are NOT protected by two keys; configure BACKUP_ONLINE_KEY and "
                "BACKUP_RECIPIENT_PUBLIC_KEY for real backups", path)
    return keys


def _uses_test_keys() -> bool:
    config = current_app.config
    return not config.get("PRODUCTION") and not config.get("BACKUP_RECIPIENT_PUBLIC_KEY")


def server_keys() -> ServerKeys:
    config = current_app.config
    if _uses_test_keys():
        keys = ensure_test_keys()
        return ServerKeys(online=config.get("BACKUP_ONLINE_KEY") or keys["online"], recipient_public=keys["public"])
    online, public = config.get("BACKUP_ONLINE_KEY"), config.get("BACKUP_RECIPIENT_PUBLIC_KEY")
    if not online or not public:
        raise MissingKey("set BACKUP_ONLINE_KEY and BACKUP_RECIPIENT_PUBLIC_KEY to make backups")
    return ServerKeys(online=str(online), recipient_public=str(public))


def read_key_file(path: str | Path) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError as exc:
        raise MissingKey(f"cannot read the offline key file {path}: {exc.strerror}") from exc


def offline_private_key(path: str | Path | None = None) -> str | None:
    """The offline private key for this call: a given file, the env var's file, or dev test keys."""
    path = path or os.environ.get(OFFLINE_KEY_ENV)
    if path:
        return read_key_file(path)
    if _uses_test_keys() and _test_keys_path().exists():
        return ensure_test_keys()["private"]
    return None
