"""Forms of tenant administration. Lengths are bounded; e-mail addresses are validated and normalized."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

from webapp.accounts.forms import NewPasswordForm, no_line_breaks
from webapp.accounts.services import valid_email
from webapp.tenant_admin.grants import MAX_DAYS, MIN_DAYS


def role_choices():
    return [("user", _l("User")), ("admin", _l("Administrator"))]


def deliverable(_form, field):
    normalized = valid_email(field.data or "")
    if normalized is None:
        raise ValidationError(_l("Please enter a valid e-mail address."))
    field.data = normalized


class InviteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254), no_line_breaks,
                                                         deliverable])
    role = SelectField(_l("Role"), choices=role_choices, default="user")


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)


class AcceptInvitationForm(NewPasswordForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200), no_line_breaks])


class GrantForm(FlaskForm):
    email = EmailField(_l("The consultant's e-mail address"),
                       validators=[DataRequired(), Length(max=254), no_line_breaks, deliverable])
    days = IntegerField(_l("Days of access"), default=7, validators=[
        DataRequired(), NumberRange(min=MIN_DAYS, max=MAX_DAYS,
                                    message=_l("Choose between %(min)s and %(max)s days."))])
