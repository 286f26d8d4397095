"""The rules for one imported row, the same as the contact form's: names, e-mail, phone, company, dates.

Names keep what they say, HTML and leading ``=`` included: they are text, escaped on every page
and neutralised in every export. Control characters, line breaks and bidirectional overrides are
refused, in every field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from webapp.customfields import imports as custom_fields
from webapp.customfields.validation import Invalid, parse_email
from webapp.customfields.validation import parse_phone as normal_phone

IGNORE = "ignore"
# Unicode category Cc (C0, DEL, C1), line and paragraph separators, bidirectional embeddings/overrides/isolates
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Field:
    key: str
    label: object
    kind: str = "text"  # text, email, phone, company, date
    max_length: int = 100
    required: bool = False


FIELDS: tuple[Field, ...] = (
    Field("first_name", _l("First name")),
    Field("last_name", _l("Last name"), required=True),
    Field("email", _l("E-mail address"), kind="email", max_length=254),
    Field("phone", _l("Phone"), kind="phone", max_length=64),
    Field("company", _l("Company (by name, created if missing)"), kind="company", max_length=200),
)
BY_KEY = {f.key: f for f in FIELDS}




def clean(value: str) -> str:
    """NFC (a Mac's decomposed accents become the usual letters), outer whitespace removed."""
    return unicodedata.normalize("NFC", value).strip()


def has_control_characters(text: str) -> bool:
    return _CONTROLS.search(text) is not None


# The usual address: an ASCII dot-atom local part. email-validator accepts such a local part as it is,
# so only the domain needs its rules (special-use names, IDNA): checked once per domain and cached.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*", re.ASCII)
MAX_LOCAL, MAX_ADDRESS = 64, 254


@lru_cache(maxsize=4096)
def _normal_domain(domain: str) -> str | None:
    try:
        return validate_email("a@" + domain, check_deliverability=False).domain
    except EmailNotValidError:
        return None


def normal_email(text: str) -> str:
    local, at, domain = text.rpartition("@")
    if at and len(local) <= MAX_LOCAL and _PLAIN_LOCAL.fullmatch(local):
        normal = _normal_domain(domain)
        if normal is None:
            raise Invalid("invalid_email")
        address = f"{local}@{normal}"
        if len(address.encode()) <= MAX_ADDRESS:
            return address
    return parse_email(text)  # the general case: one validation shared with custom fields


_DATE_FORMATS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]00:00(?::00)?)?", re.ASCII),  # ISO
    re.compile(r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})", re.ASCII),  # German 15.03.2024
    re.compile(r"(?P<y>\d{4})\.\s?(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})\.?", re.ASCII),  # Hungarian 2024.03.15.
)


def parse_date(text: str) -> date:
    """ISO (2024-03-15), dd.mm.yyyy (15.03.2024) or yyyy.mm.dd. (2024.03.15., 2024. 03. 15.)."""
    value = text.strip()
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(value)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError as exc:
                raise Invalid("invalid_date") from exc
    raise Invalid("invalid_date")


def check_value(spec: Field, raw: str):
    """The stored value of one cell (None when empty), or Invalid with a reason code."""
    value = clean(raw)
    if not value:
        if spec.required:
            raise Invalid("required")
        return None
    if has_control_characters(value):
        raise Invalid("control_chars")
    if len(value) > spec.max_length:
        raise Invalid("too_long", max=spec.max_length)
    if spec.kind == "email":
        return normal_email(value)
    if spec.kind == "phone":
        return normal_phone(value)
    if spec.kind == "date":
        return parse_date(value)
    if spec.kind == "company":
        return " ".join(value.split())
    return value


@dataclass
class RowResult:
    values: dict
    problems: list  # (column index or None, raw value, code, params)

    @property
    def ok(self) -> bool:
        return not self.problems


def shape_problem(cells: list[str], width: int, file_format: str) -> tuple | None:
    """Too many cells (beyond the header, not empty) or too few (CSV; XLSX omits empty trailing cells)."""
    extra = cells[width:]
    if any(cell.strip() for cell in extra):
        return None, "", "too_many_cells", {"found": len(cells), "expected": width}
    if len(cells) < width and file_format == "csv":
        return None, "", "too_few_cells", {"found": len(cells), "expected": width}
    return None


def check_row(cells: list[str], plan: dict[str, int], width: int, file_format: str) -> RowResult:
    """Check one row against the mapping ``plan`` (field key -> column index)."""
    shape = shape_problem(cells, width, file_format)
    if shape is not None:
        return RowResult({}, [shape])
    values, problems = {}, []
    for key, column in plan.items():
        raw = cells[column] if column < len(cells) else ""
        try:
            values[key] = check_value(BY_KEY[key], raw) if key in BY_KEY else custom_fields.check_cell(key, raw)
        except Invalid as exc:
            problems.append((column, raw, exc.code, exc.params))
    return RowResult(values, problems)
