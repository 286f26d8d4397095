"""Operator-edited website pages and the authority details; every HTML text is sanitised on save."""

from __future__ import annotations

from sqlalchemy import select

from webapp import clock
from webapp.extensions import db
from webapp.site.models import LANGUAGES, PAGE_KEYS, AuthorityDetails, SitePage
from webapp.site.sanitize import clean_html

AUTHORITY_FIELDS = ("name", "address", "phone", "email", "web")


def page(key: str) -> SitePage | None:
    if key not in PAGE_KEYS:
        return None
    return db.session.scalars(select(SitePage).where(SitePage.key == key)).first()


def pages() -> list[SitePage]:
    found = {p.key: p for p in db.session.scalars(select(SitePage))}
    return [found[key] for key in PAGE_KEYS if key in found]


def update_page(site_page: SitePage, *, titles: dict[str, str], bodies: dict[str, str], user) -> SitePage:
    for language in LANGUAGES:
        setattr(site_page, f"title_{language}", titles.get(language, "").strip())
        setattr(site_page, f"body_{language}", clean_html(bodies.get(language, "")))
    site_page.updated_at = clock.now()
    site_page.updated_by_id = user.id if user else None
    db.session.flush()
    return site_page


def authority() -> AuthorityDetails | None:
    return db.session.scalars(select(AuthorityDetails).order_by(AuthorityDetails.id).limit(1)).first()


def update_authority(details: AuthorityDetails, values: dict, complaints: dict[str, str], user) -> AuthorityDetails:
    for field in AUTHORITY_FIELDS:
        setattr(details, field, (values.get(field) or "").strip())
    for language in LANGUAGES:
        setattr(details, f"complaint_{language}", clean_html(complaints.get(language, "")))
    details.updated_at = clock.now()
    details.updated_by_id = user.id if user else None
    db.session.flush()
    return details


def web_href(web: str) -> str:
    """A link target for a bare host such as ``www.example.org``; only http(s) survives."""
    web = (web or "").strip()
    if not web:
        return ""
    if web.lower().startswith(("http://", "https://")):
        return web
    return "" if ":" in web.split("/")[0] else f"https://{web}"
