"""Forms of the retention dashboard: a legal hold, the preview date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from webapp.accounts.forms import no_line_breaks


class HoldForm(FlaskForm):
    scope = SelectField(_l("Applies to"), choices=[SelectChoice("person", _l("A person (all their data)")),
                                                   SelectChoice("record", _l("One record"))])
    email = EmailField(_l("E-mail address of the person"), validators=[Optional(), Length(max=254), Email(),
                                                                       no_line_breaks])
    table_name = SelectField(_l("Table of the record"), choices=[], validate_choice=False)
    record_id = IntegerField(_l("Record id"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300), no_line_breaks])
    until = DateField(_l("Keep until (optional)"), validators=[Optional()])

    def __init__(self, tables: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.table_name.choices = [SelectChoice("", "—")] + [SelectChoice(name, name) for name in tables]
        self._tables = tables

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.scope.data == "person" and not self.email.data:
            self.email.errors = [*self.email.errors, _l("Give the person's e-mail address.")]
            valid = False
        if self.scope.data == "record" and (not self.record_id.data or self.table_name.data not in self._tables):
            self.record_id.errors = [*self.record_id.errors, _l("Choose the table and give the record id.")]
            valid = False
        return valid


class PreviewForm(FlaskForm):
    class Meta:
        csrf = False

    as_of = DateField(_l("As of"), validators=[Optional()])
