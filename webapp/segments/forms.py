"""The segment builder: optional filters (empty = any) and a name for saving."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.accounts.forms import no_line_breaks
from webapp.profiles.forms import (
    COMPANY_TYPE_LABELS,
    DECISION_ROLE_LABELS,
    INTEREST_LABELS,
    NEWSLETTER_LABELS,
    SOURCE_LABELS,
)
from webapp.segments.filters import DATES, MAX_TEXT


def _choices(labels) -> list[SelectChoice]:
    return [SelectChoice("", _l("Any"))] + [SelectChoice(key, label) for key, label in labels.items()]


class FilterForm(FlaskForm):
    """Read from the query string for the preview (no state change, no CSRF token needed)."""

    class Meta:
        csrf = False

    interest_area = SelectField(_l("Interest area"), choices=_choices(INTEREST_LABELS), default="")
    industry = StringField(_l("Industry"), validators=[Optional(), Length(max=MAX_TEXT), no_line_breaks])
    company_type = SelectField(_l("Company type"), choices=_choices(COMPANY_TYPE_LABELS), default="")
    decision_role = SelectField(_l("Decision role"), choices=_choices(DECISION_ROLE_LABELS), default="")
    source = SelectField(_l("Came through"), choices=_choices(SOURCE_LABELS), default="")
    newsletter_state = SelectField(_l("Newsletter"), choices=_choices(NEWSLETTER_LABELS), default="")
    interaction_from = DateField(_l("Last interaction from"), validators=[Optional()])
    interaction_to = DateField(_l("Last interaction until"), validators=[Optional()])

    def validate_interaction_to(self, field):
        if field.data and self.interaction_from.data and field.data < self.interaction_from.data:
            raise ValidationError(_l("The period ends before it starts."))

    def filters(self) -> dict:
        values = {}
        for name in ("interest_area", "industry", "company_type", "decision_role", "source", "newsletter_state",
                     *DATES):
            data = getattr(self, name).data
            values[name] = data.isoformat() if hasattr(data, "isoformat") else (data or "").strip()
        return {key: value for key, value in values.items() if value}


class SegmentForm(FilterForm):
    class Meta:
        csrf = True

    name = StringField(_l("Segment name"), validators=[DataRequired(), Length(max=100), no_line_breaks])
