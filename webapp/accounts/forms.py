"""Account forms. Lengths are bounded so oversized input fails validation, not the server."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from webapp.accounts import policy


def no_line_breaks(_form, field):
    if field.data and any(ch in field.data for ch in "\r\n\x00"):
        raise ValidationError(_l("Line breaks and control characters are not allowed here."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254), no_line_breaks])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=policy.MAX_LENGTH * 4)])
    next = HiddenField()


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    trust_device = BooleanField(_l("Trust this browser for 30 days"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=policy.MAX_LENGTH * 4)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=policy.MAX_LENGTH * 4)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254), no_line_breaks])


class ReauthForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=policy.MAX_LENGTH * 4)])
    next = HiddenField()


class EmailChangeForm(FlaskForm):
    email = EmailField(_l("New e-mail address"), validators=[DataRequired(), Length(max=254), no_line_breaks])


class PhoneForm(FlaskForm):
    phone = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=32), no_line_breaks])


class EmptyForm(FlaskForm):
    """For buttons that only need CSRF protection."""
