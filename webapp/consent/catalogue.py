"""The catalogue of consent categories and services, as data.

Each service names its purpose, provider and the cookies it sets with their lifetime. The
banner, the cookie-settings page, the evidence export and withdrawal (which cookies to clear)
all read this one table. Cookie names ending in ``*`` are prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Cookie:
    name: str
    lifetime: object  # lazy string: shown to the visitor


@dataclass(frozen=True)
class Service:
    key: str
    category: str
    name: str
    provider: str
    purpose: object
    cookies: tuple[Cookie, ...]
    third_party: bool = False


@dataclass(frozen=True)
class Category:
    key: str
    label: object
    description: object
    required: bool = False


NECESSARY, ANALYTICS, MARKETING = "necessary", "analytics", "marketing"
OPERATOR = "Bizalom"

CATEGORIES: tuple[Category, ...] = (
    Category(NECESSARY, _l("Necessary"),
             _l("Needed for the site to work: your session, security and this very choice. Always on."),
             required=True),
    Category(ANALYTICS, _l("Analytics"),
             _l("Counts visits on our own server so we can improve the site. Nothing leaves our servers.")),
    Category(MARKETING, _l("Marketing"),
             _l("Lets advertising partners measure our ads and show them to you on other sites.")),
)

SERVICES: tuple[Service, ...] = (
    Service("essentials", NECESSARY, "Bizalom", OPERATOR,
            _l("Session, form protection, language, the record of your cookie choice and, after you sign in, "
               "a marker that keeps customers out of advertising."),
            (Cookie("session", _l("until the browser closes")), Cookie("lang", _l("1 year")),
             Cookie("consent", _l("6 months")), Cookie("bid", _l("1 year")),
             Cookie("customer", _l("2 years")))),
    Service("first_party_analytics", ANALYTICS, _l("Visit statistics"), OPERATOR,
            _l("Pages visited, device type, operating system, browser family, traffic source and campaign, "
               "new or returning visitor. No IP address is stored."),
            (Cookie("bz_vid", _l("13 months")),)),
    Service("google_ads_remarketing", MARKETING, "Google Ads Remarketing", "Google Ireland Limited",
            _l("Shows our ads to earlier visitors on Google's partner sites."),
            (Cookie("_gcl_au", _l("30 days")), Cookie("IDE (doubleclick.net)", _l("30 days"))),
            third_party=True),
    Service("google_ads_conversion", MARKETING, "Google Ads Conversion Tracking", "Google Ireland Limited",
            _l("Measures how well our Google ads work."),
            (Cookie("_gcl_aw", _l("30 days")), Cookie("_gcl_dc", _l("30 days"))), third_party=True),
    Service("facebook_pixel", MARKETING, "Facebook Pixel", "Meta Platforms Ireland Limited",
            _l("Measures our Facebook ads and builds remarketing lists; customers are left out."),
            (Cookie("_fbp", _l("30 days")), Cookie("_fbc", _l("30 days"))), third_party=True),
)

CATEGORY_KEYS = tuple(c.key for c in CATEGORIES)
OPTIONAL_CATEGORIES = tuple(c.key for c in CATEGORIES if not c.required)
SERVICE_KEYS = tuple(s.key for s in SERVICES)
SERVICES_BY_KEY = {s.key: s for s in SERVICES}


def category(key: str) -> Category:
    return next(c for c in CATEGORIES if c.key == key)


def services_of(category_key: str) -> tuple[Service, ...]:
    return tuple(s for s in SERVICES if s.category == category_key)


# Cookies an earlier or embedded script may have left on our domain (Matomo, Google Analytics,
# production's __Host- names): cleared with their category although no service above sets them now.
LEGACY_COOKIES = {ANALYTICS: ("__Host-bz_vid", "_pk_*", "_ga*", "_gid"), MARKETING: ("_gcl_*",)}


def clearable_cookies(category_keys) -> tuple[str, ...]:
    """First-party cookie names (or ``prefix*``) of these categories: the ones we can delete."""
    names = []
    for service in SERVICES:
        if service.category in category_keys:
            names += [c.name for c in service.cookies if " " not in c.name]
    for key in category_keys:
        names += LEGACY_COOKIES.get(key, ())
    return tuple(names)
