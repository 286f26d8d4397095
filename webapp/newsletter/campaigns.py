"""Campaigns: staff write one, a job puts one marketing e-mail per current recipient into the outbox.

Each e-mail carries a personal one-click unsubscribe link and the RFC 8058 headers. Recipients are
read at send time, so a contact stop or an unsubscribe a minute before sending is honoured.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from webapp import clock
from webapp.extensions import db
from webapp.jobs.services import enqueue
from webapp.messaging.services import queue_email
from webapp.messaging.validation import ONE_CLICK
from webapp.newsletter import clicks, services
from webapp.newsletter.models import Campaign
from webapp.segments import services as segments

BATCH = 500


def create(subject: str, body: str, base_url: str, user_id: int | None, segment=None) -> Campaign:
    """A campaign to every current subscriber, or only to those in ``segment`` (a saved segment)."""
    campaign = Campaign(subject=subject.strip(), body=body.strip(), base_url=base_url.rstrip("/"),
                        created_by_id=user_id)
    db.session.add(campaign)
    db.session.flush()
    if segment is not None:
        segments.target(campaign.id, segment)
    task = enqueue("workers.newsletter.send_campaign", campaign.id, queue_name="messages",
                   job_id=f"newsletter-campaign-{campaign.id}", user_id=user_id)
    campaign.task_id = task.id
    db.session.flush()
    return campaign


def unsubscribe_url(base_url: str, subscription_id: int) -> str:
    return f"{base_url}/newsletter/unsubscribe/{services.unsubscribe_token(subscription_id)}"


def https(url: str) -> str:
    return "https://" + url.split("://", 1)[1] if url.startswith("http://") else url


def send(campaign: Campaign, progress=None) -> int:
    """Queue the campaign's e-mails (once: a finished campaign sends nothing again)."""
    if campaign.finished_at is not None:
        return 0
    sent, after = 0, 0
    recipients = recipients_stmt(campaign)
    while True:
        rows = db.session.execute(recipients.where(
            services.NewsletterSubscription.id > after).limit(BATCH)).all()
        if not rows:
            break
        for subscription_id, email, click_tracking in rows:
            link = unsubscribe_url(campaign.base_url, subscription_id)
            body = clicks.wrap_links(campaign.body, campaign.base_url, subscription_id) if click_tracking \
                else campaign.body
            with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "de")):  # jobs have no request
                footer = _("You receive this because you subscribed to the Bizalom newsletter. "
                           "Unsubscribe with one click: %(link)s", link=link)
            text = f"{body}\n\n-- \n{footer}"
            queue_email(email, campaign.subject, text, category="marketing",
                        headers={"List-Unsubscribe": f"<{https(link)}>", "List-Unsubscribe-Post": ONE_CLICK})
            sent += 1
        after = rows[-1][0]
        if progress:
            progress(sent)
    campaign.sent_count, campaign.finished_at = sent, clock.now()
    db.session.flush()
    return sent


def recipients_stmt(campaign: Campaign):
    """Current subscribers without contact stop; for a segment campaign only those in the segment now."""
    stmt = services.recipients_stmt()
    segment = segments.segment_of_campaign(campaign.id)
    if segment is not None:
        stmt = stmt.where(services.NewsletterSubscription.lead_id.in_(segments.lead_ids(segment)))
    return stmt


def recent(limit: int = 20) -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.id.desc()).limit(limit)))
