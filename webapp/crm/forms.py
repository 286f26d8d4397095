"""Contact forms: e-mail checked with email-validator, phone normalized to E.164 with phonenumbers."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.accounts.forms import no_line_breaks


def valid_email(_form, field):
    if field.data:
        try:
            field.data = validate_email(field.data.strip(), check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise ValidationError(_l("Please enter a valid e-mail address.")) from exc


def valid_phone(_form, field):
    if field.data:
        try:
            number = phonenumbers.parse(field.data, "HU")
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(_l("Please enter a valid phone number, e.g. +36 20 123 4567.")) from exc
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(_l("Please enter a valid phone number, e.g. +36 20 123 4567."))
        field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ContactForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[Optional(), Length(max=100), no_line_breaks])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=100), no_line_breaks])
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=254), no_line_breaks, valid_email])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32), no_line_breaks, valid_phone])
    # the company's exact name (suggestions as you type); resolved by the route, not part of values()
    company = StringField(_l("Company"), validators=[Optional(), Length(max=200), no_line_breaks])

    def values(self) -> dict:
        names = ("first_name", "last_name", "email", "phone")
        return {name: (getattr(self, name).data or "").strip() for name in names}
