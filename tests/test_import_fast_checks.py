"""The import's fast e-mail check gives exactly email-validator's answer (address or refusal)."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.imports.checks import Invalid, normal_email


def _library(text: str) -> str:
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return "INVALID"


def _fast(text: str) -> str:
    try:
        return normal_email(text)
    except Invalid:
        return "INVALID"


@pytest.mark.parametrize("text", [
    "Anna.Kovacs1@Example.COM", "a@gmail.example.com", "x@foo.test", "a..b@x.hu", "A@XN--BCHER-KVA.de",
    "a+b@t-online.de", "a@localhost", ".a@x.hu", "a.@x.hu", "a@b@c.hu", "a@-x.hu", "a@x..hu", "a@x.hu.",
    "a@[1.2.3.4]", "a" * 65 + "@x.hu", "a@" + "b" * 250 + ".hu", "ü@x.hu", "a@x.123", "a b@x.hu", "@x.hu",
    "a@", "a@münchen.de", "dóra.nagy@gmx.at", "o'brien@example.com", "a/b=c?d@x.hu",
])
def test_known_cases(text):
    assert _fast(text) == _library(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abzAZ09.@+-_!#~'üÜ[]\"x ", min_size=1, max_size=24))
def test_any_text(text):
    assert _fast(text) == _library(text)
