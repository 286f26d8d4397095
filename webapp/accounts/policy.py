"""Password rules after OWASP ASVS 5.0: length 12..128, no composition rules, zxcvbn score >= 3.

The guesser is given the person's name, e-mail and company, so "AnnaKovacs2026!" is refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3
ZXCVBN_INPUT_LIMIT = 72  # the zxcvbn port refuses longer input; the first 72 characters decide
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Verdict:
    ok: bool
    score: int = 0
    problems: list = field(default_factory=list)


def normalize(password: str) -> str:
    """One spelling per password: NFC, so the same characters typed differently still match."""
    return unicodedata.normalize("NFC", password)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def personal_words(*values: str | None) -> list[str]:
    """Name, e-mail and company split into words, also without accents (Kovács -> kovacs)."""
    words: set[str] = set()
    for value in values:
        if value:
            for part in [value, *re.split(r"[\s@._\-+,]+", value)]:
                if len(part) >= 3:
                    words.update({part.lower(), _fold(part)})
    return sorted(words)


def _personal_share(password: str, words: list[str]) -> float:
    """Share of the password's characters that are spelled by the person's own words."""
    folded = _fold(password)
    covered = [False] * len(folded)
    for word in words:
        word = _fold(word)
        start = folded.find(word) if word else -1
        while start >= 0:
            covered[start:start + len(word)] = [True] * len(word)
            start = folded.find(word, start + 1)
    return sum(covered) / max(1, len(folded))


def check(password: str, user_inputs: list[str] | None = None) -> Verdict:
    password = normalize(password)
    if _FORBIDDEN.search(password):
        return Verdict(False, 0, [_l("The password contains control characters that cannot be used.")])
    if len(password) < MIN_LENGTH:
        return Verdict(False, 0, [_l("Use at least %(n)s characters.", n=MIN_LENGTH)])
    if len(password) > MAX_LENGTH:
        return Verdict(False, 0, [_l("Use at most %(n)s characters.", n=MAX_LENGTH)])
    result = zxcvbn(password[:ZXCVBN_INPUT_LIMIT], user_inputs=user_inputs or [])
    score = int(result["score"])
    share = _personal_share(password, user_inputs or [])
    mostly_personal = share >= 0.5
    if score >= MIN_SCORE and not mostly_personal:
        return Verdict(True, score, [])
    problems = [_l("This password is too easy to guess.")]
    if share > 0:
        problems.append(_l("Do not build it from your name, e-mail address or company."))
    problems.append(_l("Several unrelated words, or a longer phrase, are easy to remember and hard to guess."))
    return Verdict(False, score, problems)
