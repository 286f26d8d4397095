"""Workshop sign-up and booking forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from webapp.accounts.forms import no_line_breaks
from webapp.crm.forms import valid_email, valid_phone
from webapp.newsletter.forms import left_empty


class WorkshopForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    email = StringField(_l("E-mail address"), validators=[DataRequired(), Length(max=254), no_line_breaks,
                                                          valid_email])
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=32), no_line_breaks, valid_phone])
    topic = StringField(_l("What would you like to learn? (optional)"),
                        validators=[Optional(), Length(max=300), no_line_breaks])
    adult = BooleanField(_l("I am 18 years old or older."),
                         validators=[DataRequired(_l("The workshop is only for adults; please confirm your age."))])
    website = StringField(_l("Leave this empty"), validators=[left_empty])


class BookingForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("Date and time"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    duration = IntegerField(_l("Minutes"), default=60, validators=[DataRequired(), NumberRange(min=15, max=480)])
