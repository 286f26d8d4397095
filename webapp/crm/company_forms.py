"""Company form: name required; website an http(s) URL; phone normalized to E.164; country ISO 3166."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.accounts.forms import no_line_breaks
from webapp.crm.forms import valid_phone


def valid_website(_form, field):
    if not field.data:
        return
    value = field.data.strip()
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise ValidationError(_l("Please enter a web address such as https://example.com.")) from exc
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or any(ch.isspace() for ch in value):
        raise ValidationError(_l("Please enter a web address such as https://example.com."))
    field.data = value


def valid_country(_form, field):
    if field.data:
        value = field.data.strip().upper()
        if len(value) != 2 or not value.isascii() or not value.isalpha():
            raise ValidationError(_l("Please enter a two-letter country code, e.g. HU."))
        field.data = value


def single_line(max_length: int):
    return [Optional(), Length(max=max_length), no_line_breaks]


class CompanyForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    website = StringField(_l("Website"), validators=[*single_line(240), valid_website])
    phone = StringField(_l("Phone"), validators=[*single_line(32), valid_phone])
    street = StringField(_l("Street address"), validators=single_line(200))
    postcode = StringField(_l("Postcode"), validators=single_line(16))
    city = StringField(_l("City"), validators=single_line(120))
    country = StringField(_l("Country"), validators=[*single_line(2), valid_country])

    def validate_name(self, field):
        if field.data is not None and not field.data.strip():
            raise ValidationError(_l("Please enter a name."))

    def values(self) -> dict:
        names = ("name", "website", "phone", "street", "postcode", "city", "country")
        return {name: (getattr(self, name).data or "").strip() for name in names}
