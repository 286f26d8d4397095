"""The marketing profile form (every field optional; closed sets for what segments filter on)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from webapp.accounts.forms import no_line_breaks

INTEREST_LABELS = {"contacts": _l("Contact management"), "sales_pipeline": _l("Sales pipeline"),
                   "newsletter": _l("Newsletters"), "support": _l("Customer service"),
                   "reporting": _l("Reports"), "other": _l("Something else")}
COMPANY_TYPE_LABELS = {"sole_trader": _l("Sole trader"), "small": _l("Small business (up to 49)"),
                       "medium": _l("Medium business (50–249)"), "large": _l("Large business (250+)"),
                       "public": _l("Public body"), "nonprofit": _l("Non-profit")}
SOURCE_LABELS = {"newsletter": _l("Newsletter"), "workshop": _l("Workshop"), "trial": _l("Free trial"),
                 "subscription": _l("Subscription")}
NEWSLETTER_LABELS = {"confirmed": _l("Subscribed"), "pending": _l("Waiting for confirmation"),
                     "unsubscribed": _l("Unsubscribed"), "none": _l("Never subscribed")}
DECISION_ROLE_LABELS = {"decision_maker": _l("Decides"), "influencer": _l("Advises the decision"),
                        "user": _l("Will use it"), "other": _l("Other")}


def no_nul(_form, field):
    """Free text may span lines, but never carry a NUL (PostgreSQL refuses it in text)."""
    if field.data and "\x00" in field.data:
        raise ValidationError(_l("Control characters are not allowed here."))


def _choices(labels) -> list[SelectChoice]:
    return [SelectChoice("", _l("Not known"))] + [SelectChoice(key, label) for key, label in labels.items()]


class ProfileForm(FlaskForm):
    problem = TextAreaField(_l("What should a CRM solve for them?"), validators=[Optional(), Length(max=2000), no_nul])
    decision_criteria = TextAreaField(_l("Main decision criteria"), validators=[Optional(), Length(max=2000), no_nul])
    interest_area = SelectField(_l("Interest area"), choices=_choices(INTEREST_LABELS), default="")
    industry = StringField(_l("Industry"), validators=[Optional(), Length(max=100), no_line_breaks])
    company_type = SelectField(_l("Company type"), choices=_choices(COMPANY_TYPE_LABELS), default="")
    decision_role = SelectField(_l("Decision role"), choices=_choices(DECISION_ROLE_LABELS), default="")
    position = StringField(_l("Position"), validators=[Optional(), Length(max=100), no_line_breaks])

    FIELDS = ("problem", "decision_criteria", "interest_area", "industry", "company_type", "decision_role",
              "position")

    def values(self) -> dict[str, str | None]:
        """Field values, empty text stored as NULL."""
        return {name: ((getattr(self, name).data or "").strip() or None) for name in self.FIELDS}
