"""One log entry: its wire format (the Redis buffer), its canonical JSON and its link hash.

``hash = sha256(prev_hash + canonical_json(entry))`` over UTF-8, where ``prev_hash`` is the
64-hex-digit hash of the previous entry of the same chain (``"0" * 64`` for the first one) and the
canonical JSON has sorted keys, no whitespace, and these fields: chain, seq, entry_id,
occurred_at (``YYYY-MM-DDTHH:MM:SS.ffffffZ``), kind, user_id, tenant_id, endpoint, method,
status, browser_id, detail (the stored JSON text, or null).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from webapp import clock
from webapp.seclog.kinds import chain_of

HASHED_FIELDS = ("chain", "seq", "entry_id", "occurred_at", "kind", "user_id", "tenant_id", "endpoint",
                 "method", "status", "browser_id", "detail")
# Keys that would put network identifiers or secrets into the log: refused outright.
FORBIDDEN_DETAIL_KEYS = frozenset({"ip", "ip_address", "remote_addr", "x_forwarded_for", "user_agent",
                                   "password", "token", "cookie"})
MAX_DETAIL_CHARS = 2000
EMAIL_PURPOSE = "login-email"
_WIRE_KEYS = {"i": "entry_id", "k": "kind", "u": "user_id", "t": "tenant_id", "e": "endpoint",
              "m": "method", "s": "status", "b": "browser_id", "d": "detail"}
_INT_LIMITS = {"user_id": 2**31, "tenant_id": 2**31, "status": 1000}
_TEXT_SIZES = {"endpoint": 120, "method": 10, "browser_id": 32, "detail": MAX_DETAIL_CHARS}


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def link_hash(prev_hash: str, row: Mapping) -> str:
    """The hash of a row (a mapping with ``HASHED_FIELDS``) following ``prev_hash``."""
    payload = {name: row[name] for name in HASHED_FIELDS}
    payload["occurred_at"] = format_time(payload["occurred_at"])
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def email_hmac(email: str) -> str:
    """A keyed pseudonym of a typed e-mail address: repeated attempts correlate, the address is not
    disclosed. The same digest as ``webapp.accounts`` stores for an unknown account (HMAC-SHA256 of
    the normalized address under a key derived from SECRET_KEY; rotating the key starts new ones)."""
    from webapp.crypto import keyed_hash

    return keyed_hash(EMAIL_PURPOSE, email.strip().lower())


def clean_detail(detail: Mapping | None) -> str | None:
    """The detail as canonical JSON; ``email`` becomes ``email_hmac``; network ids and secrets refused."""
    if not detail:
        return None
    cleaned = dict(detail)
    forbidden = FORBIDDEN_DETAIL_KEYS.intersection(key.lower() for key in cleaned)
    if forbidden:
        raise ValueError(f"the security log never stores {sorted(forbidden)}")
    if "email" in cleaned:
        cleaned["email_hmac"] = email_hmac(str(cleaned.pop("email") or ""))
    text = canonical_json(cleaned)
    if len(text) > MAX_DETAIL_CHARS:
        raise ValueError(f"security log detail longer than {MAX_DETAIL_CHARS} characters")
    return text


@dataclass(frozen=True)
class Entry:
    """An entry before it joins its chain (no seq or hashes yet)."""

    kind: str
    occurred_at: datetime = field(default_factory=clock.now)
    entry_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    user_id: int | None = None
    tenant_id: int | None = None
    endpoint: str | None = None
    method: str | None = None
    status: int | None = None
    browser_id: str | None = None
    detail: str | None = None

    @property
    def chain(self) -> str:
        return chain_of(self.kind)

    def to_wire(self) -> str:
        """Compact JSON for the Redis buffer; absent values are left out."""
        values = {short: getattr(self, name) for short, name in _WIRE_KEYS.items()}
        values = {short: value for short, value in values.items() if value is not None}
        values["at"] = format_time(self.occurred_at)
        return canonical_json(values)

    @classmethod
    def from_wire(cls, raw: bytes | str) -> Entry:
        """Parse a buffered entry; ValueError (or KeyError, TypeError) when it is not one of ours."""
        values = json.loads(raw)
        if not isinstance(values, dict):
            raise ValueError("not an entry")
        fields = {name: values.get(short) for short, name in _WIRE_KEYS.items()}
        entry = cls(occurred_at=parse_time(values["at"]), **fields)
        entry.check()
        return entry

    def check(self) -> None:
        """ValueError unless every field has the type and size its column accepts."""
        chain_of(self.kind)
        if not isinstance(self.entry_id, str) or len(self.entry_id) != 32:
            raise ValueError("entry id missing")
        for name, limit in _INT_LIMITS.items():
            value = getattr(self, name)
            if value is not None and (type(value) is not int or not 0 <= value < limit):
                raise ValueError(f"{name} is not an id")
        for name, size in _TEXT_SIZES.items():
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or len(value) > size):
                raise ValueError(f"{name} is not text of at most {size} characters")

    def as_row(self, seq: int, prev_hash: str) -> dict:
        row = asdict(self) | {"chain": self.chain, "seq": seq, "prev_hash": prev_hash}
        row["hash"] = link_hash(prev_hash, row)
        return row
