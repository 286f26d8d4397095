"""Newsletter: double opt-in with evidence, one-click unsubscribe, and who may receive a campaign."""

from __future__ import annotations

import enum
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from webapp import clock, crypto
from webapp.extensions import db
from webapp.leads import services as leads
from webapp.leads.models import Lead
from webapp.legalbasis import services as ledger
from webapp.messaging.services import queue_email
from webapp.newsletter.models import NewsletterSubscription, SignupEvidence

RESEND_AFTER = timedelta(minutes=10)
UNSUBSCRIBE_PURPOSE = "newsletter-unsubscribe"


class Outcome(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY = "already"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


def _notice() -> tuple[int | None, str | None]:
    from webapp.notices import services as notices

    version = notices.current_version()
    return (version.number, version.text_hash) if version else (None, None)


def record_evidence(lead: Lead, channel: str, step: str, form: str) -> SignupEvidence:
    number, digest = _notice()
    evidence = SignupEvidence(lead_id=lead.id, channel=channel, step=step, at=clock.now(), notice_version=number,
                              notice_hash=digest, form=form[:60], locale=str(get_locale() or "de")[:5])
    db.session.add(evidence)
    db.session.flush()
    return evidence


def request_subscription(name: str, email: str, form: str, clicks: bool = False) -> NewsletterSubscription:
    """First step: store the request and mail a confirmation link. Repeats send no second mail at once."""
    lead = leads.upsert(email, name, "newsletter")
    subscription = db.session.scalars(select(NewsletterSubscription).where(
        NewsletterSubscription.lead_id == lead.id)).first()
    if subscription is None:
        subscription = NewsletterSubscription(lead_id=lead.id, state="pending")
        db.session.add(subscription)
    if subscription.state == "confirmed":
        return subscription
    now = clock.now()
    if subscription.confirmation_sent_at and now - subscription.confirmation_sent_at < RESEND_AFTER \
            and subscription.state == "pending":
        return subscription
    token = crypto.new_token()
    subscription.click_tracking = bool(clicks)  # the latest confirmed request decides
    subscription.state, subscription.confirm_token_hash = "pending", crypto.token_hash(token)
    subscription.confirm_expires_at = now + timedelta(hours=current_app.config["NEWSLETTER_CONFIRM_HOURS"])
    subscription.confirmation_sent_at = now
    db.session.flush()
    record_evidence(lead, "newsletter", "requested", form)
    link = url_for("newsletter.confirm", token=token, _external=True)
    queue_email(lead.email, _("Please confirm your newsletter subscription"),
                _("Hello %(name)s,\n\nsomeone (we hope you) asked to receive the Bizalom newsletter at this address. "
                  "To start receiving it, open this link within %(hours)s hours and confirm:\n\n%(link)s\n\n"
                  "If this was not you, ignore this e-mail: without confirmation we send nothing and delete the "
                  "request.", name=lead.name, hours=current_app.config["NEWSLETTER_CONFIRM_HOURS"], link=link))
    return subscription


def pending_by_token(token: str) -> NewsletterSubscription | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalars(select(NewsletterSubscription).where(
        NewsletterSubscription.confirm_token_hash == crypto.token_hash(token))).first()


def confirm(token: str, form: str = "confirmation-link") -> Outcome:
    """Second step: the link's owner confirms. Links work once and expire."""
    subscription = pending_by_token(token)
    if subscription is None:
        return Outcome.UNKNOWN
    if subscription.confirm_expires_at is None or clock.now() > subscription.confirm_expires_at:
        return Outcome.EXPIRED
    subscription.state, subscription.confirmed_at = "confirmed", clock.now()
    subscription.unsubscribed_at = None
    subscription.confirm_token_hash, subscription.confirm_expires_at = None, None
    db.session.flush()
    record_evidence(subscription.lead, "newsletter", "confirmed", form)
    ledger.set_basis(subscription.lead_id, "newsletter", "consent", "double_opt_in")
    leads.touch(subscription.lead)
    return Outcome.CONFIRMED


def unsubscribe_token(subscription_id: int) -> str:
    return f"{subscription_id}.{crypto.keyed_hash(UNSUBSCRIBE_PURPOSE, str(subscription_id))[:40]}"


def by_unsubscribe_token(token: str) -> NewsletterSubscription | None:
    ident, _sep, signature = (token or "")[:80].partition(".")
    if not ident.isdigit() or not crypto.same(unsubscribe_token(int(ident)), token):
        return None
    return db.session.get(NewsletterSubscription, int(ident))


def unsubscribe(subscription: NewsletterSubscription, form: str) -> bool:
    """Ends the subscription and the consent; False if it had ended already."""
    if subscription.state == "unsubscribed":
        return False
    subscription.state, subscription.unsubscribed_at = "unsubscribed", clock.now()
    subscription.confirm_token_hash, subscription.confirm_expires_at = None, None
    db.session.flush()
    record_evidence(subscription.lead, "newsletter", "unsubscribed", form)
    ledger.end_basis(subscription.lead_id, "newsletter", "consent_withdrawn")
    return True


def recipients_stmt():
    """Confirmed subscribers whom marketing may reach (no contact stop, restriction or objection)."""
    return (select(NewsletterSubscription.id, Lead.email, NewsletterSubscription.click_tracking).join(Lead)
            .where(NewsletterSubscription.state == "confirmed", ~leads.marketing_blocked())
            .order_by(NewsletterSubscription.id))


def counts() -> dict[str, int]:
    from sqlalchemy import func

    rows = db.session.execute(select(NewsletterSubscription.state, func.count())
                              .group_by(NewsletterSubscription.state)).all()
    return {"pending": 0, "confirmed": 0, "unsubscribed": 0, **dict(rows)}
