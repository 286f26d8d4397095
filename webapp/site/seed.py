"""Idempotent first content: website pages, authority details, sub-processors, privacy notice version 1.

Migration 0016 inserts the pages, authority and registry rows (``rows_for_migration``); ``seed_all`` fills
whatever is still missing and publishes notice version 1 when no version exists (``flask site seed``).
"""

from __future__ import annotations

from sqlalchemy import func, select

from webapp import clock
from webapp.extensions import db
from webapp.notices import services as notices
from webapp.notices.models import NoticeVersion
from webapp.site import seed_data
from webapp.site.models import LANGUAGES, AuthorityDetails, SitePage
from webapp.site.services import authority
from webapp.subprocessors.models import Subprocessor, SubprocessorChange
from webapp.subprocessors.seed_data import SUBPROCESSORS


def page_rows() -> list[dict]:
    rows = []
    for key, texts in seed_data.PAGES.items():
        row = {"key": key}
        for language in LANGUAGES:
            row[f"title_{language}"] = texts["title"][language]
            row[f"body_{language}"] = texts["body"][language]
        rows.append(row)
    return rows


def authority_row() -> dict:
    row = {field: seed_data.AUTHORITY[field] for field in ("name", "address", "phone", "email", "web")}
    for language in LANGUAGES:
        row[f"complaint_{language}"] = seed_data.AUTHORITY["complaint"][language]
    return row


def subprocessor_rows() -> list[dict]:
    return [dict(entry, position=index) for index, entry in enumerate(SUBPROCESSORS, start=1)]


def seed_all() -> dict[str, int]:
    """Add what is missing; never overwrites the operator's edits. Returns what was added."""
    added = {"pages": 0, "authority": 0, "subprocessors": 0, "notice": 0}
    existing = set(db.session.scalars(select(SitePage.key)))
    for row in page_rows():
        if row["key"] not in existing:
            db.session.add(SitePage(**row))
            added["pages"] += 1
    if authority() is None:
        db.session.add(AuthorityDetails(**authority_row()))
        added["authority"] = 1
    registry_touched = (db.session.scalar(select(func.count(Subprocessor.id)))
                        or db.session.scalar(select(func.count(SubprocessorChange.id))))
    if not registry_touched:
        for row in subprocessor_rows():
            db.session.add(Subprocessor(**row))
            added["subprocessors"] += 1
    if not db.session.scalar(select(func.count(NoticeVersion.id))):
        first_notice()
        added["notice"] = 1
    db.session.flush()
    return added


def first_notice() -> NoticeVersion:
    """Version 1, published by the system at seed time; nobody is registered yet to be informed."""
    version = NoticeVersion(number=1, state="draft", summary=seed_data.NOTICE_SUMMARY, changed_categories=[])
    for language in LANGUAGES:
        setattr(version, f"body_{language}", seed_data.NOTICE[language])
    version.state, version.published_at = "published", clock.now()
    version.text_hash = notices.text_hash(version)
    db.session.add(version)
    db.session.flush()
    return version
