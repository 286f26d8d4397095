"""The sub-processor form: every field bounded, single-line fields without line breaks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from webapp.accounts.forms import no_line_breaks
from webapp.subprocessors.models import TEXT_FIELDS


def http_url(_form, field):
    value = (field.data or "").strip()
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValidationError(_l("Please enter an address starting with http:// or https://."))


class SubprocessorForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    address = StringField(_l("Address"), validators=[Length(max=300), no_line_breaks])
    phone = StringField(_l("Phone"), validators=[Length(max=50), no_line_breaks])
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=254), no_line_breaks,
                                                          Email(check_deliverability=False)])
    web = StringField(_l("Website"), validators=[Length(max=300), no_line_breaks, http_url])
    data_stored_de = TextAreaField(_l("Data stored (German)"), validators=[Length(max=2000)])
    data_stored_en = TextAreaField(_l("Data stored (English)"), validators=[Length(max=2000)])
    data_stored_hu = TextAreaField(_l("Data stored (Hungarian)"), validators=[Length(max=2000)])
    activities_de = TextAreaField(_l("Activities (German)"), validators=[Length(max=2000)])
    activities_en = TextAreaField(_l("Activities (English)"), validators=[Length(max=2000)])
    activities_hu = TextAreaField(_l("Activities (Hungarian)"), validators=[Length(max=2000)])
    third_country = BooleanField(_l("Processes data outside the EU/EEA (third country)"))
    position = IntegerField(_l("Position in the list"), default=0,
                            validators=[Optional(), NumberRange(min=0, max=10_000)])

    def values(self) -> dict:
        values = {"name": self.name.data, "address": self.address.data or "", "phone": self.phone.data or "",
                  "email": (self.email.data or "").strip().lower(), "web": self.web.data or "",
                  "third_country": bool(self.third_country.data), "position": self.position.data or 0}
        values.update({field: getattr(self, field).data or "" for field in TEXT_FIELDS})
        return values
