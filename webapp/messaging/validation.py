"""Checks on outgoing messages. Every refusal is a ``MessageRejected`` (a ValueError) that says
what is wrong, so a caller can show or log it; nothing invalid ever reaches the outbox."""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import LazyString
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from webapp.messaging.models import EMAIL_CATEGORIES

MAX_SUBJECT = 500
MAX_HEADER_VALUE = 2000
MAX_SMS_BODY = 1600  # ten concatenated segments
HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,75}")
PURPOSE = re.compile(r"[a-z0-9_]{1,40}")
LINE_BREAK = re.compile(r"[\r\n]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
UNSUBSCRIBE_URI = r"<(?:https://|mailto:)[^<>\s,]+>"
LIST_UNSUBSCRIBE = re.compile(rf"{UNSUBSCRIBE_URI}(?:\s*,\s*{UNSUBSCRIBE_URI})*")
ONE_CLICK = "List-Unsubscribe=One-Click"
# Headers the relay writes itself; a caller may not set or override them.
RESERVED_HEADERS = frozenset({
    "from", "sender", "to", "cc", "bcc", "subject", "date", "message-id", "return-path", "received",
    "mime-version", "content-type", "content-transfer-encoding", "content-disposition",
})
NO_SMS = frozenset({
    PhoneNumberType.FIXED_LINE, PhoneNumberType.TOLL_FREE, PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST, PhoneNumberType.VOICEMAIL, PhoneNumberType.UAN,
})


class MessageRejected(ValueError):
    """An e-mail or SMS was refused before it was stored."""


class HeaderInjection(MessageRejected):
    """A line break in a header value, subject or address: it would start a new header."""


class InvalidEmailAddress(MessageRejected):
    pass


class InvalidHeader(MessageRejected):
    pass


class InvalidPhoneNumber(MessageRejected):
    pass


class InvalidMessage(MessageRejected):
    """Empty or oversized body, unknown category or purpose."""


def plain(value):
    """Lazily translated text (``lazy_gettext``) as a str; anything else as it is."""
    return str(value) if isinstance(value, LazyString) else value


def single_line(what: str, value: str) -> str:
    value = plain(value)
    if not isinstance(value, str):
        raise InvalidHeader(f"{what} must be text, not {type(value).__name__}")
    if LINE_BREAK.search(value):
        raise HeaderInjection(f"{what} contains a line break (CR or LF); refused as header injection")
    if CONTROL.search(value):
        raise InvalidHeader(f"{what} contains a control character")
    return value


def email_address(value: str) -> str:
    value = single_line("the recipient address", value)
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidEmailAddress(f"the recipient address is not a valid e-mail address: {exc}") from exc


def subject(value: str) -> str:
    value = single_line("the subject", value)
    if not value.strip():
        raise InvalidHeader("the subject is empty")
    if len(value) > MAX_SUBJECT:
        raise InvalidHeader(f"the subject is longer than {MAX_SUBJECT} characters")
    return value.strip()


def text_body(value: str) -> str:
    value = plain(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidMessage("the text body is empty; every e-mail needs a plain-text part")
    return value


def category(value: str) -> str:
    if value not in EMAIL_CATEGORIES:
        raise InvalidMessage(f"unknown e-mail category {value!r}; choose one of {EMAIL_CATEGORIES}")
    return value


def _header(name: str, value: str) -> tuple[str, str]:
    if not isinstance(name, str) or not HEADER_NAME.fullmatch(name):
        raise InvalidHeader(f"{name!r} is not a valid header name (letters, digits and '-')")
    if name.lower() in RESERVED_HEADERS:
        raise InvalidHeader(f"the {name} header is set by the mail relay and cannot be given")
    value = single_line(f"the {name} header", value)
    if not value.strip() or len(value) > MAX_HEADER_VALUE:
        raise InvalidHeader(f"the {name} header must have 1 to {MAX_HEADER_VALUE} characters")
    if name.lower() == "reply-to":
        value = email_address(value)
    return name, value.strip()


def _unsubscribe(found: dict[str, str], kind: str) -> None:
    listed = found.get("list-unsubscribe")
    if listed is not None and not LIST_UNSUBSCRIBE.fullmatch(listed):
        raise InvalidHeader("List-Unsubscribe must list <https://…> or <mailto:…> addresses, comma-separated")
    post = found.get("list-unsubscribe-post")
    if post is not None and (post != ONE_CLICK or "<https://" not in (listed or "")):
        raise InvalidHeader(f"List-Unsubscribe-Post must be {ONE_CLICK!r} beside an https List-Unsubscribe")
    if kind == "marketing" and listed is None:
        raise InvalidHeader("marketing e-mail needs a List-Unsubscribe header")


def extra_headers(headers: dict[str, str] | None, kind: str) -> dict[str, str]:
    """Validated pass-through headers, e.g. List-Unsubscribe and List-Unsubscribe-Post."""
    checked = dict(_header(name, value) for name, value in (headers or {}).items())
    lowered = {name.lower(): value for name, value in checked.items()}
    if len(lowered) != len(checked):
        raise InvalidHeader("a header is given twice (names are case-insensitive)")
    _unsubscribe(lowered, kind)
    return checked


def phone_number(value: str, default_region: str) -> tuple[str, int]:
    """(E.164 form, country calling code) of a number that can receive SMS."""
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidPhoneNumber("the phone number must be text of at most 40 characters")
    try:
        number = phonenumbers.parse(value, default_region)
    except NumberParseException as exc:
        raise InvalidPhoneNumber(f"not a phone number: {exc}") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber("the phone number is not valid for its country (too short, too long or unassigned)")
    if phonenumbers.number_type(number) in NO_SMS:
        raise InvalidPhoneNumber("the phone number is a landline or service number and cannot receive SMS")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164), number.country_code


def sms_body(value: str) -> str:
    value = plain(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidMessage("the SMS text is empty")
    if len(value) > MAX_SMS_BODY:
        raise InvalidMessage(f"the SMS text is longer than {MAX_SMS_BODY} characters")
    return value


def purpose(value: str) -> str:
    if not isinstance(value, str) or not PURPOSE.fullmatch(value):
        raise InvalidMessage("the SMS purpose must be a short identifier such as 'login_code'")
    return value
