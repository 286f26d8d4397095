"""A disclosure staff record by hand (to an authority, a court, a new operator)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from webapp.accounts.forms import no_line_breaks
from webapp.crm.forms import valid_email, valid_phone


class TransferForm(FlaskForm):
    recipient_kind = SelectField(_l("Recipient is"), choices=[
        SelectChoice("authority", _l("an authority or court")), SelectChoice("new_operator", _l("a new operator")),
        SelectChoice("processor", _l("a processor")), SelectChoice("other", _l("someone else"))])
    recipient = StringField(_l("Recipient"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    legal_basis = SelectField(_l("Legal basis"), choices=[
        SelectChoice("legal_obligation", _l("Legal obligation (Art. 6(1)(c))")),
        SelectChoice("contract", _l("Contract (Art. 6(1)(b))")),
        SelectChoice("consent", _l("Consent (Art. 6(1)(a))")),
        SelectChoice("legitimate_interest", _l("Legitimate interest (Art. 6(1)(f))")),
        SelectChoice("vital_interest", _l("Vital interest (Art. 6(1)(d))")),
        SelectChoice("public_task", _l("Public task (Art. 6(1)(e))"))])
    purpose = StringField(_l("Reason"), validators=[DataRequired(), Length(max=60), no_line_breaks])
    data_description = StringField(_l("Which data"), validators=[DataRequired(), Length(max=300), no_line_breaks])
    subject_email = StringField(_l("Person's e-mail address"),
                                validators=[Optional(), Length(max=254), no_line_breaks, valid_email])
    subject_phone = StringField(_l("Person's phone"), validators=[Optional(), Length(max=32), no_line_breaks,
                                                                  valid_phone])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.subject_email.data or self.subject_phone.data):
            self.subject_email.errors = [_l("Name the person by e-mail address or phone.")]
            return False
        return True
