"""Every custom field value is checked here, once, for the form, the import and the filters.

``parse(field, raw)`` returns the typed value to store (``str``, ``Decimal`` or ``date``), ``None``
for an empty input, or raises ``Invalid`` with a code; ``message(code, params)`` puts the code into
words in the reader's language (jobs store codes, pages and reports translate them).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

DEFAULT_REGION = "HU"
TEXT_MAX = 2000
URL_MAX = 2000
NUMBER_LIMIT = Decimal("100000000000000")  # Numeric(18, 4): 14 digits before the point
NUMBER_SCALE = 4
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\n\r]")
_SPACES = re.compile(r"[\s\u00a0\u202f']")  # 1 234,5 / 1 234,5 / 1'234.5
_NUMBER = re.compile(r"[+-]?\d*([.,]\d+)*")
_DATES = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", re.ASCII),  # ISO 2024-03-15
    re.compile(r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})", re.ASCII),  # de 15.03.2024
    re.compile(r"(?P<y>\d{4})\.\s?(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})\.?", re.ASCII),  # hu 2024. 03. 15.
    re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})", re.ASCII),  # en-GB 15/03/2024
)


class Invalid(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _clean(raw) -> str:
    return unicodedata.normalize("NFC", "" if raw is None else str(raw)).strip()


def _thousands_ok(text: str, mark: str) -> bool:
    groups = text.lstrip("+-").split(mark)
    return bool(groups[0]) and len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


def has_controls(text: str) -> bool:
    return _CONTROLS.search(text) is not None or _LINE_BREAKS.search(text) is not None


def parse_number(text: str) -> Decimal:
    """``1234.5``, ``1234,5``, ``1 234,56``, ``1.234,56``, ``1,234.56``, ``-3`` -> Decimal.

    With both marks, the last one is the decimal mark; one mark used once is the decimal mark
    (``1,5`` and ``1.5``); one mark used several times separates thousands (``1.234.567``)."""
    compact = _SPACES.sub("", text)
    if not _NUMBER.fullmatch(compact) or not any(ch.isdigit() for ch in compact):
        raise Invalid("invalid_number")
    marks = [ch for ch in compact if ch in ".,"]
    if len(set(marks)) == 2:
        decimal_mark = marks[-1]
        head, _sep, tail = compact.rpartition(decimal_mark)
        thousands = "," if decimal_mark == "." else "."
        if decimal_mark in head or not _thousands_ok(head, thousands):
            raise Invalid("invalid_number")
        compact = f"{head.replace(thousands, '')}.{tail}"
    elif len(marks) > 1:
        if not _thousands_ok(compact, marks[0]):
            raise Invalid("invalid_number")
        compact = compact.replace(marks[0], "")
    elif marks:
        compact = compact.replace(",", ".")
    try:
        number = Decimal(compact)
    except InvalidOperation as exc:
        raise Invalid("invalid_number") from exc
    if abs(number) >= NUMBER_LIMIT:
        raise Invalid("number_too_large")
    if number != number.quantize(Decimal(1).scaleb(-NUMBER_SCALE)):
        raise Invalid("too_many_decimals", max=NUMBER_SCALE)
    return number


def parse_date(text: str) -> date:
    """ISO (2024-03-15), German (15.03.2024), Hungarian (2024. 03. 15.) or day/month/year."""
    for pattern in _DATES:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError as exc:
                raise Invalid("invalid_date") from exc
    raise Invalid("invalid_date")


def parse_email(text: str) -> str:
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid("invalid_email") from exc


def parse_phone(text: str, region: str = DEFAULT_REGION) -> str:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise Invalid("invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise Invalid("invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_url(text: str) -> str:
    if len(text) > URL_MAX:
        raise Invalid("too_long", max=URL_MAX)
    if any(ch.isspace() for ch in text):
        raise Invalid("invalid_url")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise Invalid("invalid_url") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "." not in parts.hostname.strip("."):
        raise Invalid("invalid_url")
    return text


def parse_choice(text: str, choices: list[str]) -> str:
    if text in choices:
        return text
    folded = {choice.casefold(): choice for choice in choices}
    if text.casefold() in folded:
        return folded[text.casefold()]
    raise Invalid("invalid_choice")


def parse_text(text: str) -> str:
    if len(text) > TEXT_MAX:
        raise Invalid("too_long", max=TEXT_MAX)
    return text


def parse_value(field_type: str, raw, choices: list[str] | None = None, required: bool = False):
    """The typed value of one input (None when empty), or ``Invalid``."""
    text = _clean(raw)
    if not text:
        if required:
            raise Invalid("required")
        return None
    if _CONTROLS.search(text) or (field_type != "text" and _LINE_BREAKS.search(text)):
        raise Invalid("control_chars")
    if field_type == "number":
        return parse_number(text)
    if field_type == "date":
        return parse_date(text)
    if field_type == "choice":
        return parse_choice(text, choices or [])
    if len(text) > TEXT_MAX:
        raise Invalid("too_long", max=TEXT_MAX)
    parsers = {"email": parse_email, "phone": parse_phone, "url": parse_url, "text": parse_text}
    return parsers[field_type](text)


def parse(field, raw):
    """``parse_value`` for a ``CustomField`` definition."""
    return parse_value(field.field_type, raw, field.choice_list, field.required)


def _messages(p: dict) -> dict:
    return {
        "required": lambda: _("This field is required."),
        "control_chars": lambda: _("Contains control characters or line breaks."),
        "too_long": lambda: _("Longer than %(max)s characters.", max=p.get("max")),
        "invalid_number": lambda: _("Please enter a number, e.g. 1234.5 or 1 234,5."),
        "number_too_large": lambda: _("This number is too large."),
        "too_many_decimals": lambda: _("Please use at most %(max)s decimal places.", max=p.get("max")),
        "invalid_date": lambda: _("Please enter a valid date, e.g. 2024-03-15, 15.03.2024 or 2024. 03. 15."),
        "invalid_choice": lambda: _("Please choose one of the offered values."),
        "invalid_email": lambda: _("Please enter a valid e-mail address."),
        "invalid_phone": lambda: _("Please enter a valid phone number, e.g. +36 20 123 4567."),
        "invalid_url": lambda: _("Please enter a web address starting with http:// or https://."),
    }


CODES = tuple(_messages({}))


def message(code: str, params: dict | None = None) -> str:
    messages = _messages(params or {})
    return messages[code]() if code in messages else code
