"""Cell values made safe for spreadsheets and XML.

Formula injection, the OWASP rule (https://owasp.org/www-community/attacks/CSV_Injection): a text
value starting with ``=``, ``+``, ``-``, ``@``, tab (0x09) or carriage return (0x0D) is prefixed
with one apostrophe, in CSV and in XLSX, so a spreadsheet shows it as text and never evaluates it.
Only text from the database is touched: ids are numbers and dates are written by us, so numbers are
never mangled. A consumer that wants the original value removes one leading apostrophe when a
trigger character follows it.

Phone numbers: in CSV they follow the rule (``'+36201234567``); any program may open a CSV file
and the rule must not depend on guessing. In XLSX every text is a string cell, which no
spreadsheet evaluates; a value of the phone column that is a valid international number (digits,
spaces and ``()./-`` only, checked by ``phonenumbers``) stays unchanged there, marked with Excel's
own "quote prefix" (what Excel stores when a user types a leading apostrophe), so editing the cell
keeps it text. Such a value has no letters, so it can form no function call.

XML 1.0 and XLSX cannot carry most control characters: they are replaced by U+FFFD.
"""

from __future__ import annotations

import re

import phonenumbers

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PHONE_SHAPE = re.compile(r"\+[0-9][0-9 ()./-]{4,30}")


def neutralise(text: str) -> str:
    """The OWASP rule: a leading apostrophe before a formula trigger character."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def xml_safe(text: str) -> str:
    """Characters that XML 1.0 (and so XLSX) cannot hold become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def is_phone_number(text: str) -> bool:
    """A valid international phone number in a harmless shape (``+36 20 123 4567``)."""
    if not _PHONE_SHAPE.fullmatch(text):
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text, None))
    except phonenumbers.NumberParseException:
        return False
