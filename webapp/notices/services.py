"""Privacy-notice versions: one open draft, publishing (hash, who, when, notice e-mails), archive, diffs.

Other features read the current version through ``current_version()`` (consents record its id, number
and text hash; ``changed_categories`` tells which consent categories a version asks about again).
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from webapp import clock
from webapp.extensions import db
from webapp.notices.models import CONSENT_CATEGORIES, NOTICE_LANGUAGES, NoticeVersion
from webapp.site.sanitize import clean_html


class NoticeError(ValueError):
    """A refused notice operation; the message is shown to staff."""


def current_version() -> NoticeVersion | None:
    """The newest published version, or None before anything was published."""
    return db.session.scalars(select(NoticeVersion).where(NoticeVersion.state == "published")
                              .order_by(NoticeVersion.number.desc()).limit(1)).first()


def published_versions() -> list[NoticeVersion]:
    return list(db.session.scalars(select(NoticeVersion).where(NoticeVersion.state == "published")
                                   .order_by(NoticeVersion.number.desc())))


def all_versions() -> list[NoticeVersion]:
    return list(db.session.scalars(select(NoticeVersion).order_by(NoticeVersion.number.desc())))


def published_by_number(number: int) -> NoticeVersion | None:
    return db.session.scalars(select(NoticeVersion).where(NoticeVersion.number == number,
                                                          NoticeVersion.state == "published")).first()


def open_draft() -> NoticeVersion | None:
    return db.session.scalars(select(NoticeVersion).where(NoticeVersion.state == "draft")).first()


def canonical_text(version: NoticeVersion) -> str:
    """The text the hash covers: every language's body, in a fixed order, as canonical JSON."""
    bodies = {language: version.body(language) for language in NOTICE_LANGUAGES}
    return json.dumps(bodies, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def text_hash(version: NoticeVersion) -> str:
    return hashlib.sha256(canonical_text(version).encode("utf-8")).hexdigest()


def create_draft(user) -> NoticeVersion:
    """A new draft copied from the current version; only one draft may be open at a time."""
    if open_draft() is not None:
        raise NoticeError("A draft is already open; edit or publish it first.")
    current = current_version()
    number = (db.session.scalar(select(func.max(NoticeVersion.number))) or 0) + 1
    draft = NoticeVersion(number=number, state="draft", summary="", changed_categories=[],
                          created_by_id=user.id if user else None)
    for language in NOTICE_LANGUAGES:
        setattr(draft, f"body_{language}", current.body(language) if current else "")
    db.session.add(draft)
    db.session.flush()
    return draft


def update_draft(draft: NoticeVersion, *, bodies: dict[str, str], summary: str,
                 changed_categories: list[str]) -> NoticeVersion:
    if draft.state != "draft":
        raise NoticeError("A published version cannot be changed.")
    unknown = set(changed_categories) - set(CONSENT_CATEGORIES)
    if unknown:
        raise NoticeError("Unknown consent category.")
    for language in NOTICE_LANGUAGES:
        setattr(draft, f"body_{language}", clean_html(bodies.get(language, "")))
    draft.summary = summary.strip()
    draft.changed_categories = [key for key in CONSENT_CATEGORIES if key in changed_categories]
    draft.updated_at = clock.now()
    db.session.flush()
    return draft


def publish(draft: NoticeVersion, user, link: str = "/privacy") -> NoticeVersion:
    """Publish the draft: record who and when, fix its hash, and inform registered users by e-mail."""
    from webapp.jobs.services import enqueue

    if draft.state != "draft":
        raise NoticeError("This version is already published.")
    missing = [language for language in NOTICE_LANGUAGES if not _plain(draft.body(language)).strip()]
    if missing:
        raise NoticeError("Every language needs a text before publishing.")
    draft.state = "published"
    draft.published_at = clock.now()
    draft.published_by_id = user.id if user else None
    draft.text_hash = text_hash(draft)
    db.session.flush()
    enqueue("workers.notices.send_notice_emails", draft.id, link, 0, queue_name="messages",
            job_id=f"notice-emails-{draft.id}-0")
    return draft


def _plain(markup: str) -> str:
    """Visible text of sanitised HTML, one block per line (for diffs and plain-text e-mails)."""
    text = re.sub(r"(?i)<\s*(br|/p|/li|/h[1-6]|/tr|/div|/section|/blockquote|/dd|/dt)\s*/?>", "\n", markup)
    text = re.sub(r"<[^>]+>", "", text)
    lines = [" ".join(html.unescape(line).split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def plain_text(version: NoticeVersion, language: str) -> str:
    return _plain(version.body(language))


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def diff(older: NoticeVersion, newer: NoticeVersion, language: str) -> list[DiffLine]:
    """Line diff of the visible text of two versions in one language."""
    lines = []
    for entry in difflib.ndiff(plain_text(older, language).splitlines(), plain_text(newer, language).splitlines()):
        tag, text = entry[:2], entry[2:]
        if tag == "? ":
            continue
        lines.append(DiffLine({"  ": "same", "+ ": "added", "- ": "removed"}[tag], text))
    return lines
