"""The call form on the lead record."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from webapp import clock
from webapp.calls.models import MAX_DURATION_SECONDS
from webapp.profiles.forms import no_nul

EARLIEST_YEAR = 2000


class CallForm(FlaskForm):
    direction = RadioField(_l("Direction"), choices=[SelectChoice("outbound", _l("We called")),
                                                       SelectChoice("inbound", _l("They called"))],
                           default="outbound", validators=[InputRequired()])
    started_at = DateTimeLocalField(_l("Started at"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    duration_minutes = IntegerField(_l("Duration (minutes)"),
                                    validators=[InputRequired(), NumberRange(min=0, max=MAX_DURATION_SECONDS // 60)])
    announced = BooleanField(_l("The caller heard the recording announcement"))
    recorded = BooleanField(_l("Recorded (support calls only)"))
    review = BooleanField(_l("Mark for review (complaint or sample)"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000), no_nul])

    def validate_recorded(self, field):
        if field.data and not (self.direction.data == "inbound" and self.announced.data):
            raise ValidationError(_l("Only inbound calls may be recorded, and only after the announcement."))

    def validate_started_at(self, field):
        if field.data and not (EARLIEST_YEAR <= field.data.year <= clock.now().year):
            raise ValidationError(_l("Please enter when the call took place."))
