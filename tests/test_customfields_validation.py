"""Every type's validation of custom field values, property-based where the input space is large."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.customfields import validation
from webapp.customfields.validation import Invalid, parse_value


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@given(st.decimals(min_value=Decimal("-99999999999999"), max_value=Decimal("99999999999999"), places=4,
                   allow_nan=False, allow_infinity=False))
def test_numbers_round_trip_in_every_notation(number):
    plain = format(number, "f")
    assert parse_value("number", plain) == number
    assert parse_value("number", plain.replace(".", ",")) == number
    whole, _sep, fraction = plain.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", " ") + (f",{fraction}" if fraction else "")
    assert parse_value("number", ("-" if number < 0 else "") + grouped) == number
    german = f"{int(whole):,}".replace(",", ".") + (f",{fraction}" if fraction else "")
    if "." in german:  # thousands given: the last mark is the decimal one
        assert parse_value("number", ("-" if number < 0 else "") + german) == number


@given(st.text(max_size=30))
def test_any_text_is_a_number_or_a_clear_refusal(text):
    try:
        value = parse_value("number", text)
    except Invalid as exc:
        assert exc.code in validation.CODES and validation.message(exc.code, exc.params)
    else:
        assert value is None or isinstance(value, Decimal)


@pytest.mark.parametrize("text", ["1e5", "NaN", "Infinity", "1,2,3", "12.34.567", "1.23456", "1" * 15, "--1", "+"])
def test_bad_numbers(text):
    with pytest.raises(Invalid):
        parse_value("number", text)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_dates_in_iso_german_and_hungarian_notation(day):
    for text in (day.isoformat(), day.strftime("%d.%m.%Y"), f"{day.year:04d}. {day.month:02d}. {day.day:02d}.",
                 f"{day.day}/{day.month}/{day.year:04d}"):
        assert parse_value("date", text) == day


@pytest.mark.parametrize("text", ["2024-02-30", "31.02.2024", "tomorrow", "2024/13/01", "15-03-2024"])
def test_bad_dates(text):
    with pytest.raises(Invalid, match="invalid_date"):
        parse_value("date", text)


@given(st.text(max_size=40))
def test_choices_accept_only_the_listed_values(text):
    choices = ["gold", "Silber", "Ezüst"]
    try:
        value = parse_value("choice", text, choices)
    except Invalid as exc:
        assert exc.code in ("invalid_choice", "control_chars")
    else:
        assert value is None or value in choices


def test_choice_ignores_case_and_stores_the_listed_spelling():
    assert parse_value("choice", " ezüst ", ["Ezüst"]) == "Ezüst"


@pytest.mark.parametrize(("text", "stored"), [("Anna@Example.COM", "Anna@example.com"),
                                              ("kovacs.eva@cég.hu", "kovacs.eva@cég.hu")])
def test_email(text, stored):
    assert parse_value("email", text) == stored


@given(st.text(max_size=60))
def test_email_refusals_are_clear(text):
    try:
        value = parse_value("email", text)
    except Invalid as exc:
        assert exc.code in ("invalid_email", "control_chars", "too_long")
    else:
        assert value is None or "@" in value


@pytest.mark.parametrize(("text", "stored"), [("20 123 4567", "+36201234567"), ("06 30 123 4567", "+36301234567"),
                                              ("+49 30 1234567", "+49301234567")])
def test_phone_defaults_to_hungary_and_is_stored_as_e164(text, stored):
    assert parse_value("phone", text) == stored


@pytest.mark.parametrize("text", ["12", "phone", "+36 20 123"])
def test_bad_phones(text):
    with pytest.raises(Invalid, match="invalid_phone"):
        parse_value("phone", text)


@pytest.mark.parametrize("text", ["https://example.hu", "http://a.example/x?y=1#z", "HTTPS://Example.com:8443/"])
def test_urls(text):
    assert parse_value("url", text) == text


@pytest.mark.parametrize("text", ["javascript:alert(1)", "ftp://example.com", "example.com", "http://", "http://localhost",
                                  "https://exa mple.com", "https://example.com:99999/", "data:text/html,x",
                                  "https://example.com/" + "a" * 2000])
def test_bad_urls(text):
    with pytest.raises(Invalid):
        parse_value("url", text)


@given(st.text(max_size=2100))
def test_text_keeps_what_it_says_within_limits(text):
    try:
        value = parse_value("text", text)
    except Invalid as exc:
        assert exc.code in ("too_long", "control_chars")
    else:
        assert value is None or value == value.strip() and len(value) <= validation.TEXT_MAX


def test_required_and_empty():
    assert parse_value("text", "   ") is None
    with pytest.raises(Invalid, match="required"):
        parse_value("number", "", required=True)


def test_messages_are_localized(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert validation.message("invalid_url") == "Please enter a web address starting with http:// or https://."
        assert validation.message("too_long", {"max": 5}) == "Longer than 5 characters."
