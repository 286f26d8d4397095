"""The report the portal shows: items grouped, each with its explanation from the records of processing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale

from webapp.mydata.sources import Item, collect, person_for
from webapp.processing import services as processing


@dataclass
class Explained:
    item: Item
    explanation: dict | None
    kept_until: datetime | None


def report(email: str, consent_id: str | None = None) -> list[Explained]:
    person = person_for(email, consent_id)
    locale = str(get_locale() or "en")
    explanations: dict[str, dict | None] = {}
    result = []
    for item in collect(person):
        explanation = None
        if item.category:
            if item.category not in explanations:
                try:
                    explanations[item.category] = processing.describe(item.category, locale)
                except processing.UnknownCategory:
                    explanations[item.category] = None
            explanation = explanations[item.category]
        result.append(Explained(item, explanation, _kept_until(item, explanation)))
    return result


def _kept_until(item: Item, explanation: dict | None) -> datetime | None:
    if explanation is None or item.clock_value is None:
        return None
    rule = explanation["retention"]
    if not rule.get("period") or rule.get("unit") not in ("days", "months", "years"):
        return None
    return processing.subtract(item.clock_value, -rule["period"], rule["unit"])
