"""Random stand-ins for personal data, consistent within one copy.

The same original value always gets the same stand-in (e-mails compared case-insensitively), and
stand-ins keep their shape: e-mails stay e-mail addresses, phone numbers stay digits with the
original's separators, names stay capitalised words. Nothing is derived from the original, so
the copy reveals nothing but lengths.
"""

from __future__ import annotations

import re
import secrets
import string

LOWER = string.ascii_lowercase
MIN_FREE_TEXT = 3  # shorter originals are only replaced where they are the whole value


def _letters(count: int) -> str:
    return "".join(secrets.choice(LOWER) for _ in range(max(1, count)))


def _name(original: str) -> str:
    return " ".join(_letters(len(word)).capitalize() for word in original.split()) or _letters(6).capitalize()


def _email(_original: str) -> str:
    return f"{_letters(10)}@{_letters(8)}.example"


def _phone(original: str) -> str:
    keep = 3 if original.startswith("+") else 0  # "+36": the country stays, every other digit is random
    head, tail = original[:keep], original[keep:]
    return head + "".join(secrets.choice(string.digits) if char.isdigit() else char for char in tail)


def _text(original: str) -> str:
    return " ".join(_letters(len(word)) for word in original.split()) or _letters(len(original))


def _identifier(original: str) -> str:
    return secrets.token_hex(max(1, len(original) // 2 + 1))[: max(1, len(original))]


MAKERS = {"name": _name, "email": _email, "phone": _phone, "address": _text, "text": _text,
          "identifier": _identifier}


def originals_pattern(values) -> re.Pattern | None:
    """A regex finding any of ``values`` as a whole word or value (case-insensitive), longest first."""
    found = sorted({value for value in values if len(value.strip()) >= MIN_FREE_TEXT}, key=len, reverse=True)
    if not found:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, found)) + r")(?!\w)", re.IGNORECASE)


class Replacer:
    def __init__(self):
        self.mapping: dict[tuple[str, str], str] = {}
        self.originals: dict[str, str] = {}  # original -> stand-in, for free-text columns
        self._used: set[str] = set()
        self._pattern: re.Pattern | None = None

    @staticmethod
    def _key(kind: str, value: str) -> str:
        return value.strip().lower() if kind == "email" else value

    def replace(self, kind: str, value):
        """The stand-in for one personal-data value (None and blanks stay as they are)."""
        if not isinstance(value, str) or not value.strip():
            return value
        key = (kind, self._key(kind, value))
        if key not in self.mapping:
            stand_in = MAKERS[kind](value)
            while stand_in in self._used or stand_in == value:
                stand_in = MAKERS[kind](value)
            self._used.add(stand_in)
            self.mapping[key] = stand_in
            self._pattern = None
        stand_in = self.mapping[key]
        self.originals.setdefault(value, stand_in)
        if kind == "email":
            self.originals.setdefault(value.strip().lower(), stand_in)
        return stand_in

    def pattern(self) -> re.Pattern | None:
        """One regex matching every known original (longest first) of at least MIN_FREE_TEXT characters."""
        if self._pattern is None:
            self._pattern = originals_pattern(self.originals)
        return self._pattern

    def scrub(self, value):
        """Replace every known original inside free text, JSON values included."""
        if isinstance(value, str):
            whole = self.originals.get(value) or self.originals.get(value.strip().lower())
            if whole is not None:
                return whole
            pattern = self.pattern()
            if pattern is None or not value:
                return value
            return pattern.sub(lambda match: self._stand_in_for(match.group(0)), value)
        if isinstance(value, dict):
            return {key: self.scrub(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        return value

    def _stand_in_for(self, text: str) -> str:
        return self.originals.get(text) or self.originals.get(text.lower()) or _text(text)
