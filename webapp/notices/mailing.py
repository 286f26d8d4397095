"""Notice e-mails to registered users, in batches (each batch is one job and one transaction)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.accounts.models import User
from webapp.extensions import db
from webapp.messaging.services import queue_email
from webapp.notices.models import NoticeVersion

BATCH_SIZE = 500


def recipients(after_user_id: int, limit: int) -> list[User]:
    """Active accounts (tenant users and staff), in id order; no tenant data is read."""
    statement = (select(User).where(User.active.is_(True), User.id > after_user_id)
                 .order_by(User.id).limit(limit))
    return list(db.session.scalars(statement))


def queue_batch(version_id: int, link: str, after_user_id: int, batch_size: int | None = None) -> tuple[int, int, bool]:
    """Queue one e-mail per user of the next batch; returns (queued, last user id, more to come)."""
    version = db.session.get(NoticeVersion, version_id)
    if version is None or version.state != "published":
        return 0, after_user_id, False
    size = batch_size or BATCH_SIZE
    users = recipients(after_user_id, size)
    for user in users:
        subject, text = message_for(version, link, user.locale)
        queue_email(user.email, subject, text, category="transactional", user_id=user.id)
    last_id = users[-1].id if users else after_user_id
    return len(users), last_id, len(users) == size


def enqueue_next(version_id: int, link: str, after_user_id: int) -> None:
    from webapp.jobs.services import enqueue

    enqueue("workers.notices.send_notice_emails", version_id, link, after_user_id, queue_name="messages",
            job_id=f"notice-emails-{version_id}-{after_user_id}")


def message_for(version: NoticeVersion, link: str, locale: str | None) -> tuple[str, str]:
    with force_locale(locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "de")):
        subject = _("Our privacy notice has changed (version %(number)s)", number=version.number)
        lines = [
            _("We have published version %(number)s of our privacy notice, valid from %(date)s.",
              number=version.number, date=format_date(version.published_at, "long")),
            "",
        ]
        if version.summary:
            lines += [_("What changed:"), version.summary, ""]
        lines += [_("Read the current notice and earlier versions here: %(link)s", link=link)]
        return subject, "\n".join(lines)
