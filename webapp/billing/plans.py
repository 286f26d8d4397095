"""The price list as data: plans, their monthly net price per seat, and the VAT rate."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

VAT_RATE_BP = 2700  # 27 % Hungarian VAT, in basis points
CURRENCY = "HUF"
PAYMENT_DAYS = 8


@dataclass(frozen=True)
class Plan:
    key: str
    label: object
    monthly_net_cents_per_seat: int


PLANS = {
    plan.key: plan
    for plan in (
        Plan("starter", _l("Starter"), 990_000),
        Plan("team", _l("Team"), 1_990_000),
        Plan("business", _l("Business"), 3_490_000),
    )
}
