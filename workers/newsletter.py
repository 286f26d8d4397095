"""Newsletter jobs: put a campaign's e-mails into the outbox."""

from __future__ import annotations

from webapp.extensions import db
from webapp.newsletter import campaigns, services
from webapp.newsletter.models import Campaign
from workers.context import job, report_progress


@job
def send_campaign(campaign_id: int) -> str:
    campaign = db.session.get(Campaign, int(campaign_id))
    if campaign is None:
        return "no such campaign"
    total = max(1, services.counts()["confirmed"])
    sent = campaigns.send(campaign, lambda done: report_progress(min(99, done * 100 // total)))
    return f"queued {sent} e-mails"
