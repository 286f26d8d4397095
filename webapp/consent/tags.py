"""Marketing tags (Google Ads, Facebook pixel): operator settings and server-side gating.

Tags are rendered only when the visitor granted marketing (never under GPC, never before a
choice) and is not an existing customer: signed in, or carrying the first-party customer marker
set at sign-in. Their origins are added to the CSP of that response only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import current_app, g, request
from flask_login import current_user

from webapp import clock, security
from webapp.consent import services
from webapp.consent.models import MarketingTagSettings
from webapp.extensions import db

CUSTOMER_COOKIE = "customer"
CUSTOMER_MAX_AGE = 2 * 365 * 24 * 3600
DEFAULT_ORIGINS = {"MARKETING_GOOGLE_ORIGIN": "https://www.googletagmanager.com",
                   "MARKETING_FACEBOOK_ORIGIN": "https://connect.facebook.net"}
# Google Ads and Meta beacons are sent to these origins once their scripts run.
BEACON_ORIGINS = ("https://googleads.g.doubleclick.net", "https://www.googleadservices.com",
                  "https://www.google.com", "https://www.facebook.com")
GOOGLE_ADS_ID = re.compile(r"AW-[0-9]{6,15}")
CONVERSION_LABEL = re.compile(r"[A-Za-z0-9_-]{1,64}")
PIXEL_ID = re.compile(r"[0-9]{6,20}")


@dataclass(frozen=True)
class Tag:
    script_src: str
    data: dict


def origin(name: str) -> str:
    return (current_app.config.get(name) or DEFAULT_ORIGINS[name]).rstrip("/")


def tag_settings() -> MarketingTagSettings:
    settings = db.session.get(MarketingTagSettings, 1)
    return settings or MarketingTagSettings(id=1, google_ads_enabled=False, google_ads_id="",
                                            google_ads_conversion_label="", facebook_pixel_enabled=False,
                                            facebook_pixel_id="")


def save_settings(**values) -> MarketingTagSettings:
    settings = db.session.get(MarketingTagSettings, 1)
    if settings is None:
        settings = MarketingTagSettings(id=1)
        db.session.add(settings)
    for key, value in values.items():
        setattr(settings, key, value)
    settings.updated_at = clock.now()
    db.session.flush()
    return settings


def is_customer() -> bool:
    return bool(current_user and current_user.is_authenticated) or request.cookies.get(CUSTOMER_COOKIE) == "1"


def mark_conversion() -> None:
    """A page that completes a conversion (e.g. a trial sign-up) reports it to Google Ads."""
    g.marketing_conversion = True


def _google(settings) -> Tag | None:
    if not (settings.google_ads_enabled and GOOGLE_ADS_ID.fullmatch(settings.google_ads_id or "")):
        return None
    if not (services.granted_service("google_ads_remarketing") or services.granted_service("google_ads_conversion")):
        return None
    data = {"google-ads-id": settings.google_ads_id}
    label = settings.google_ads_conversion_label or ""
    if g.get("marketing_conversion") and CONVERSION_LABEL.fullmatch(label) \
            and services.granted_service("google_ads_conversion"):
        data["google-ads-conversion"] = label
    return Tag(f"{origin('MARKETING_GOOGLE_ORIGIN')}/gtag/js?{urlencode({'id': settings.google_ads_id})}", data)


def _facebook(settings) -> Tag | None:
    if not (settings.facebook_pixel_enabled and PIXEL_ID.fullmatch(settings.facebook_pixel_id or "")):
        return None
    if not services.granted_service("facebook_pixel"):
        return None
    return Tag(f"{origin('MARKETING_FACEBOOK_ORIGIN')}/en_US/fbevents.js",
               {"facebook-pixel-id": settings.facebook_pixel_id})


def marketing_tags() -> list[Tag]:
    """The tags this response may render (usually none); allows their origins in its CSP."""
    if not services.granted("marketing") or is_customer():
        return []
    settings = tag_settings()
    tags = [tag for tag in (_google(settings), _facebook(settings)) if tag]
    if tags:
        origins = [origin(name) for name in DEFAULT_ORIGINS]
        security.allow_origins("script-src", *origins)
        security.allow_origins("img-src", *origins, *BEACON_ORIGINS)
        security.allow_origins("connect-src", *origins, *BEACON_ORIGINS)
    return tags


def mark_customer(response) -> None:
    """Signed-in people are existing customers (or staff): remember it so remarketing skips them."""
    if current_user and current_user.is_authenticated and request.cookies.get(CUSTOMER_COOKIE) != "1":
        response.set_cookie(CUSTOMER_COOKIE, "1", max_age=CUSTOMER_MAX_AGE, path="/", httponly=True,
                            samesite="Lax", secure=bool(current_app.config.get("PRODUCTION")))
