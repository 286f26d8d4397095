"""Notice e-mails after a privacy-notice version is published, one batch of users per job."""

from __future__ import annotations

from workers.context import job


@job
def send_notice_emails(version_id: int, link: str = "/privacy", after_user_id: int = 0) -> str:
    """Queue the notice e-mail for the next batch of registered users; the last batch ends the chain."""
    from webapp.notices import mailing

    queued, last_id, more = mailing.queue_batch(int(version_id), link, int(after_user_id))
    if more:
        mailing.enqueue_next(int(version_id), link, last_id)
    return f"queued {queued} notice e-mails after user {after_user_id}"
