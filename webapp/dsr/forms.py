"""Forms of the request console and of the portal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from webapp.accounts.forms import no_line_breaks
from webapp.crm.forms import valid_email

KIND_CHOICES = [
    SelectChoice("access", _l("Access: what do you hold about me?")),
    SelectChoice("rectification", _l("Correct my data")),
    SelectChoice("erasure", _l("Erase my data")),
    SelectChoice("restriction", _l("Restrict the processing of my data")),
    SelectChoice("portability", _l("A copy of my data to take elsewhere")),
    SelectChoice("objection", _l("I object to the processing")),
    SelectChoice("withdrawal", _l("I withdraw my consent to marketing")),
    SelectChoice("stop_contact", _l("Do not contact me any more")),
]


class PortalRequestForm(FlaskForm):
    kind = SelectField(_l("What would you like?"), choices=KIND_CHOICES)
    details = TextAreaField(_l("Details (optional)"), validators=[Optional(), Length(max=5000)])


class LogRequestForm(FlaskForm):
    kind = SelectField(_l("Request"), choices=KIND_CHOICES)
    email = StringField(_l("Person's e-mail address"), validators=[DataRequired(), Length(max=254), no_line_breaks,
                                                                   valid_email])
    channel = SelectField(_l("Received by"), choices=[SelectChoice("letter", _l("letter")),
                                                      SelectChoice("email", _l("e-mail")),
                                                      SelectChoice("phone", _l("phone"))])
    identity_check = SelectField(_l("Identity checked by"), choices=[
        SelectChoice("registered_address", _l("the request came from the registered address")),
        SelectChoice("extra_verification", _l("an extra verification (describe it)"))])
    identity_note = StringField(_l("How the identity was checked"),
                                validators=[Optional(), Length(max=300), no_line_breaks])
    details = TextAreaField(_l("What the person asks"), validators=[Optional(), Length(max=5000)])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.identity_check.data == "extra_verification" and not (self.identity_note.data or "").strip():
            self.identity_note.errors = [_l("Describe the extra verification.")]
            return False
        return True


class ExtendForm(FlaskForm):
    until = DateField(_l("New deadline"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason (sent to the person)"), validators=[DataRequired(), Length(max=500)])


class CloseForm(FlaskForm):
    state = SelectField(_l("Result"), choices=[SelectChoice("done", _l("done")),
                                               SelectChoice("refused", _l("refused"))])
    outcome = TextAreaField(_l("What was done, or why it was refused"), validators=[DataRequired(),
                                                                                    Length(max=500)])
