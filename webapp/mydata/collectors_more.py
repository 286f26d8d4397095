"""More collectors: messages sent to the person, calls, the marketing profile, cookie consents and the
security log of their account (the portal shows them like everything else, explained by category)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from webapp.extensions import db
from webapp.mydata.sources import Item, Person, collector

SECURITY_LOG_SHOWN = 50


@collector("messages")
def message_items(person: Person) -> list[Item]:
    from webapp.messaging.models import OutboxEmail, SmsMessage

    conditions = [OutboxEmail.to_address == person.email]
    if person.user is not None:
        conditions.append(OutboxEmail.user_id == person.user.id)
    items = [Item("newsletter_subscriber" if mail.category == "marketing" else None,
                  _("E-mail to you"), [(_("Subject"), mail.subject), (_("Queued"), mail.created_at),
                                       (_("State"), mail.state)], mail.created_at)
             for mail in db.session.scalars(select(OutboxEmail).where(or_(*conditions))
                                            .order_by(OutboxEmail.id.desc()).limit(200))]
    sms_conditions = [SmsMessage.to_number.in_(sorted(person.phones))] if person.phones else []
    if person.user is not None:
        sms_conditions.append(SmsMessage.user_id == person.user.id)
    if sms_conditions:
        items += [Item("sms_content", _("Text message to you"), [
            (_("Purpose"), sms.purpose), (_("Queued"), sms.created_at), (_("State"), sms.state),
            (_("Text"), sms.body or _("(deleted after its retention period)"))], sms.created_at)
            for sms in db.session.scalars(select(SmsMessage).where(or_(*sms_conditions))
                                          .order_by(SmsMessage.id.desc()).limit(200))]
    return items


@collector("calls")
def call_items(person: Person) -> list[Item]:
    from webapp.calls.models import CallLog

    if person.lead is None:
        return []
    return [Item("call_recordings" if call.recorded else "call_metadata", _("Phone call"), [
        (_("When"), call.started_at), (_("Direction"), call.direction),
        (_("Duration (seconds)"), call.duration_seconds), (_("Recorded"), _("yes") if call.recorded else _("no")),
        (_("Notes"), call.notes or "—")], call.started_at)
        for call in db.session.scalars(select(CallLog).where(CallLog.lead_id == person.lead.id)
                                       .order_by(CallLog.started_at.desc()))]


@collector("profile")
def profile_items(person: Person) -> list[Item]:
    from webapp.profiles.models import LeadProfile

    if person.lead is None:
        return []
    profile = db.session.get(LeadProfile, person.lead.id)
    if profile is None:
        return []
    fields = [(label, value) for label, value in (
        (_("Problem to solve"), profile.problem), (_("Decision criteria"), profile.decision_criteria),
        (_("Interest area"), profile.interest_area), (_("Industry"), profile.industry),
        (_("Company type"), profile.company_type), (_("Decision role"), profile.decision_role),
        (_("Position"), profile.position)) if value]
    return [Item("marketing_profile", _("Marketing profile"), fields, person.lead.last_interaction_at,
                 _("you, or our notes from talking with you") if profile.updated_by_id else _("you"))]


@collector("consents")
def consent_items(person: Person) -> list[Item]:
    from webapp.consent.models import ConsentDecision

    if not person.consent_id:
        return []
    return [Item(None, _("Cookie choice"), [(_("When"), decision.decided_at), (_("How"), decision.method),
                                            (_("Choice"), decision.action),
                                            (_("Valid until"), decision.expires_at)])
            for decision in db.session.scalars(select(ConsentDecision).where(
                ConsentDecision.consent_id == person.consent_id).order_by(ConsentDecision.decided_at.desc()))]


@collector("security_log")
def security_log_items(person: Person) -> list[Item]:
    from webapp.seclog.models import SecurityEvent

    if person.user is None:
        return []
    rows = db.session.scalars(select(SecurityEvent).where(SecurityEvent.user_id == person.user.id)
                              .order_by(SecurityEvent.occurred_at.desc()).limit(SECURITY_LOG_SHOWN))
    return [Item("security_log_events" if row.chain == "security" else "security_log_detailed",
                 _("Security log entry"), [(_("When"), row.occurred_at), (_("What"), row.kind),
                                           (_("Page or function"), row.endpoint or "—")], row.occurred_at)
            for row in rows]
