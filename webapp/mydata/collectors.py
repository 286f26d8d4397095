"""The built-in collectors: account, lead, newsletter, workshop, trial, invoices, messages, transfers, visits."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from webapp.extensions import db
from webapp.mydata.sources import Item, Person, collector


@collector("lead")
def lead_items(person: Person) -> list[Item]:
    lead = person.lead
    if lead is None:
        return []
    category = {"newsletter": "newsletter_subscriber", "workshop": "workshop_registrant",
                "trial": "trial_contact"}.get(lead.source, "subscriber_contact")
    fields = [(_("Name"), lead.name), (_("E-mail address"), lead.email), (_("Phone"), lead.phone or "—"),
              (_("First contact through"), lead.source), (_("Last interaction"), lead.last_interaction_at)]
    if lead.contact_stopped_at:
        fields.append((_("No further contact since"), lead.contact_stopped_at))
    return [Item(category, _("Your contact details"), fields, lead.last_interaction_at, _("you, through our forms"))]


@collector("newsletter")
def newsletter_items(person: Person) -> list[Item]:
    from webapp.newsletter.models import NewsletterSubscription, SignupEvidence

    if person.lead is None:
        return []
    items = []
    subscription = db.session.scalars(select(NewsletterSubscription).where(
        NewsletterSubscription.lead_id == person.lead.id)).first()
    if subscription is not None:
        items.append(Item("newsletter_subscriber", _("Newsletter"), [
            (_("State"), subscription.state), (_("Confirmed"), subscription.confirmed_at or "—"),
            (_("Unsubscribed"), subscription.unsubscribed_at or "—")], person.lead.last_interaction_at))
    for evidence in db.session.scalars(select(SignupEvidence).where(SignupEvidence.lead_id == person.lead.id)
                                       .order_by(SignupEvidence.at)):
        items.append(Item(_category_of_channel(evidence.channel), _("Record of what you agreed to"), [
            (_("What"), f"{evidence.channel}: {evidence.step}"), (_("When"), evidence.at),
            (_("Privacy notice version"), evidence.notice_version or "—"), (_("Form"), evidence.form)],
            person.lead.last_interaction_at))
    return items


def _category_of_channel(channel: str) -> str:
    return {"newsletter": "newsletter_subscriber", "workshop": "workshop_registrant"}.get(channel, "trial_contact")


@collector("workshop")
def workshop_items(person: Person) -> list[Item]:
    from webapp.workshops.models import BookingRequest

    if person.lead is None:
        return []
    return [Item("workshop_registrant", _("Workshop request"), [
        (_("Requested"), request.created_at), (_("State"), request.state), (_("Topic"), request.topic or "—"),
        *[(_("Appointment"), appointment.starts_at) for appointment in request.appointments]],
        person.lead.last_interaction_at)
        for request in db.session.scalars(select(BookingRequest).where(BookingRequest.lead_id == person.lead.id))]


@collector("trial")
def trial_items(person: Person) -> list[Item]:
    from webapp.trials.models import TrialSignup

    if person.lead is None:
        return []
    items = []
    for signup in db.session.scalars(select(TrialSignup).where(TrialSignup.lead_id == person.lead.id)):
        statements = [(statement.statement, _("yes") if statement.given else _("no"))
                      for statement in signup.statements]
        items.append(Item("trial_contact", _("Trial sign-up"), [(_("Signed up"), signup.created_at),
                                                                 *statements], person.lead.last_interaction_at))
    return items


@collector("account")
def account_items(person: Person) -> list[Item]:
    user = person.user
    if user is None:
        return []
    return [Item("security_log_events", _("Your user account"), [
        (_("Name"), user.name), (_("E-mail address"), user.email), (_("Created"), user.created_at)],
        user.created_at)]


@collector("invoices")
def invoice_items(person: Person) -> list[Item]:
    from webapp.billing.models import Invoice

    conditions = [Invoice.customer_email == person.email]
    if person.user is not None and person.user.tenant_id and person.user.role == "admin":
        conditions.append(Invoice.tenant_id == person.user.tenant_id)
    rows = db.session.scalars(select(Invoice).where(Invoice.state == "issued", or_(*conditions))
                              .order_by(Invoice.issued_on))
    return [Item("invoice_data", _("Invoice %(number)s", number=invoice.number), [
        (_("Issued on"), invoice.issued_on), (_("Customer"), invoice.customer_name),
        (_("Billing address"), invoice.customer_address)], None) for invoice in rows]


@collector("transfers")
def transfer_items(person: Person) -> list[Item]:
    from webapp.transfers.services import for_person

    phone = next(iter(person.phones), None)
    rows = for_person(email=person.email, phone=phone, user_id=person.user.id if person.user else None)
    return [Item(None, _("Disclosed to %(recipient)s", recipient=row.recipient),
                 [(_("When"), row.at), (_("Why"), row.purpose), (_("Legal basis"), row.legal_basis),
                  (_("Which data"), row.data_description)], row.at) for row in rows]


@collector("legal_basis")
def legal_basis_items(person: Person) -> list[Item]:
    from webapp.legalbasis.services import history

    if person.lead is None:
        return []
    return [Item(None, _("Legal basis for %(purpose)s", purpose=entry.purpose), [
        (_("Basis"), entry.basis), (_("Since"), entry.started_at), (_("Until"), entry.ended_at or "—")])
        for entry in history(person.lead.id)]


@collector("visits")
def visit_items(person: Person) -> list[Item]:
    if not person.consent_id:
        return []
    from webapp.analytics.services import visits_for_consent

    return [Item("analytics_page_views", _("Page view"), [(_("Page"), visit.get("path")),
                                                         (_("When"), visit.get("viewed_at"))], visit.get("viewed_at"))
            for visit in visits_for_consent(person.consent_id)]
