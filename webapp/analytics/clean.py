"""Turning untrusted request data into the few normalised values a page view keeps.

Everything here is total: any input gives a clean value or None, never an exception. Control
characters are dropped, whitespace collapsed, lengths capped; of a referrer only the host is kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from ua_parser import parse as parse_user_agent

from webapp.analytics.models import FAMILY_MAX, HOST_MAX, PATH_MAX, UTM_MAX

UA_MAX = 512
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")
_SPACES = re.compile(r"\s+")
MOBILE_OS = {"iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS", "Firefox OS", "Symbian OS"}
DESKTOP_OS = {"Windows", "Mac OS X", "Linux", "Ubuntu", "Chrome OS", "Fedora", "Debian", "FreeBSD",
              "OpenBSD", "NetBSD", "Solaris", "Mint", "Arch Linux"}


def text(value: object, limit: int) -> str | None:
    """Printable text without control or format characters, whitespace collapsed, at most ``limit``."""
    if not isinstance(value, str):
        return None
    value = "".join(ch for ch in value[: limit * 4] if unicodedata.category(ch)[0] != "C" or ch in "\t\n ")
    value = _SPACES.sub(" ", value).strip()
    return value[:limit].strip() or None


def utm(value: object) -> str | None:
    cleaned = text(value, UTM_MAX)
    return cleaned.lower() if cleaned else None


def host(value: object) -> str | None:
    """A syntactically valid host name (lowercase, IDN as punycode), else None."""
    if not isinstance(value, str) or not value:
        return None
    value = value.strip().rstrip(".").lower()
    try:
        value = value.encode("idna").decode("ascii") if not value.isascii() else value
    except UnicodeError:
        return None
    return value if len(value) <= HOST_MAX and _HOST.fullmatch(value) else None


def referrer_host(referrer: object, own_host: str | None) -> str | None:
    """Only the host of an outside referrer: no scheme, path, query, user info or port."""
    if not isinstance(referrer, str) or not referrer or len(referrer) > 4096:
        return None
    try:
        parts = urlsplit(referrer.strip())
        name = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    name = host(name)
    own = (own_host or "").split(":")[0].lower()
    return None if name is None or name == own else name


def path(value: object) -> str:
    cleaned = text(value, PATH_MAX) or "/"
    return cleaned if cleaned.startswith("/") else "/" + cleaned[: PATH_MAX - 1]


@dataclass(frozen=True)
class Agent:
    device_type: str
    os_family: str
    browser_family: str
    is_bot: bool


def _family(value: str | None) -> str:
    return text(value or "", FAMILY_MAX) or "Other"


@lru_cache(maxsize=4096)
def agent(user_agent: str) -> Agent:
    """Device type, OS and browser family (ua-parser); bots and empty agents are flagged."""
    user_agent = (text(user_agent, UA_MAX) or "") if isinstance(user_agent, str) else ""
    if not user_agent:
        return Agent("other", "Other", "Other", is_bot=True)
    parsed = parse_user_agent(user_agent)
    device = parsed.device.family if parsed.device else "Other"
    os_family = _family(parsed.os.family if parsed.os else None)
    browser = _family(parsed.user_agent.family if parsed.user_agent else None)
    is_bot = device == "Spider" or bool(re.search(r"bot|crawl|spider|slurp|headless", user_agent, re.I))
    return Agent(_device_type(device, os_family, user_agent), os_family, browser, is_bot)


def _device_type(device: str, os_family: str, user_agent: str) -> str:
    if "iPad" in device or "Tablet" in device or "Tablet" in user_agent:
        return "tablet"
    if os_family == "Android" and "Mobile" not in user_agent:
        return "tablet"
    if os_family in MOBILE_OS or "Mobile" in user_agent:
        return "mobile"
    if os_family in DESKTOP_OS:
        return "desktop"
    return "other"
