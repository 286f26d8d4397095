"""Which column holds which field: suggestions from header names (English, German, Hungarian)."""

from __future__ import annotations

import unicodedata

from webapp.customfields import imports as custom_fields
from webapp.imports.checks import BY_KEY, IGNORE

# Header names as people write them, compared without case, accents, spaces or punctuation.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": ("first name", "firstname", "given name", "forename", "first",
                   "vorname", "rufname",
                   "keresztnév", "utónév", "keresztnev", "utonev"),
    "last_name": ("last name", "lastname", "surname", "family name", "last",
                  "nachname", "familienname", "zuname",
                  "vezetéknév", "családnév", "vezeteknev", "csaladnev"),
    "email": ("email", "e-mail", "mail", "email address", "e-mail address", "emails",
              "e-mail-adresse", "emailadresse", "mailadresse",
              "e-mail cím", "email cím", "emailcím", "e-mail-cím", "levelezési cím"),
    "phone": ("phone", "telephone", "phone number", "tel", "tel.", "mobile", "mobile phone", "cell", "cell phone",
              "telefon", "telefonnummer", "mobil", "mobilnummer", "handy", "rufnummer",
              "telefonszám", "mobilszám", "mobiltelefon"),
    "company": ("company", "company name", "organisation", "organization", "employer", "account",
                "firma", "firmenname", "unternehmen", "arbeitgeber",
                "cég", "cégnév", "vállalat", "munkahely"),
}


def header_key(text: str) -> str:
    """``"E-Mail-Adresse"`` -> ``"emailadresse"``; ``"Keresztnév"`` -> ``"keresztnev"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


_LOOKUP = {header_key(name): key for key, names in SYNONYMS.items() for name in names}


def suggest(headers: list[str]) -> list[str]:
    """One field per column (or ``ignore``); each field is suggested for one column at most."""
    taken: set[str] = set()
    mapping = []
    for header in headers:
        key = _LOOKUP.get(header_key(header)) or custom_fields.suggest(header_key(header), header_key)
        if key is None or key in taken:
            mapping.append(IGNORE)
        else:
            taken.add(key)
            mapping.append(key)
    return mapping


def plan_of(mapping: list[str]) -> dict[str, int]:
    """Field key -> column index, for the mapped columns."""
    return {key: index for index, key in enumerate(mapping) if key in BY_KEY or custom_fields.is_target(key)}


def mapping_errors(mapping: list[str]) -> list[str]:
    """Codes of what is wrong with a chosen mapping: ``no_last_name``, ``duplicate``."""
    chosen = [key for key in mapping if key != IGNORE]
    errors = []
    if "last_name" not in chosen:
        errors.append("no_last_name")
    if len(chosen) != len(set(chosen)):
        errors.append("duplicate")
    return errors
