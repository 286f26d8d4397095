"""The privacy officer's edit form of one processing activity."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.accounts.forms import no_line_breaks
from webapp.processing.catalogue import CATEGORIES, CLOCKS, LEGAL_BASES, UNITS

LEGAL_BASIS_LABELS = {"consent": _l("Consent"), "contract": _l("Contract"), "legal_obligation": _l("Legal obligation"),
                      "vital_interest": _l("Vital interest"), "public_task": _l("Public task"),
                      "legitimate_interest": _l("Legitimate interest")}
CLOCK_LABELS = {"last_interaction": _l("last interaction"), "last_contact": _l("last contact"),
                "trial_closed_at": _l("closing of the trial"), "last_invoice": _l("last invoice"),
                "created_at": _l("creation"), "trashed_at": _l("moving to the trash"),
                "withdrawal": _l("withdrawal of consent")}
UNIT_LABELS = {"days": _l("days"), "months": _l("months"), "years": _l("years")}
MAX_LINES = 30


def _lines(_form, field):
    lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINES or any(len(line) > 200 for line in lines):
        raise ValidationError(_l("At most %(n)s lines of up to 200 characters.", n=MAX_LINES))


class ActivityForm(FlaskForm):
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    title_de = StringField(_l("Title (German)"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    title_hu = StringField(_l("Title (Hungarian)"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    description = TextAreaField(_l("Purpose"), validators=[DataRequired(), Length(max=2000)])
    categories = SelectMultipleField(_l("Data categories"), choices=[SelectChoice(c, c) for c in CATEGORIES],
                                     option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    legal_basis = SelectField(_l("Legal basis"), choices=[SelectChoice(b, LEGAL_BASIS_LABELS[b]) for b in LEGAL_BASES])
    recipients = TextAreaField(_l("Recipients (one per line)"), validators=[_lines])
    transfers = TextAreaField(_l("Transfers to third countries (one per line)"), validators=[_lines])
    clock = SelectField(_l("Retention runs from"), choices=[SelectChoice(c, CLOCK_LABELS[c]) for c in CLOCKS])
    period = IntegerField(_l("Retention period"), validators=[InputRequired(), NumberRange(min=1, max=10000)])
    unit = SelectField(_l("Unit"), choices=[SelectChoice(u, UNIT_LABELS[u]) for u in UNITS])
    active = BooleanField(_l("Active"))
    note = StringField(_l("Reason for the change"), validators=[DataRequired(), Length(max=300), no_line_breaks])

    def fill(self, activity) -> None:
        for name in ("title_en", "title_de", "title_hu", "description", "legal_basis", "clock", "period", "unit",
                     "active", "categories"):
            getattr(self, name).data = getattr(activity, name)
        self.recipients.data = "\n".join(activity.recipients)
        self.transfers.data = "\n".join(activity.transfers)

    def changes(self) -> dict:
        split = lambda text: [line.strip() for line in (text or "").splitlines() if line.strip()]  # noqa: E731
        values = {name: getattr(self, name).data for name in ("title_en", "title_de", "title_hu", "legal_basis",
                                                              "clock", "period", "unit")}
        return values | {"description": self.description.data.strip(), "categories": list(self.categories.data or []),
                         "recipients": split(self.recipients.data), "transfers": split(self.transfers.data),
                         "active": bool(self.active.data)}
