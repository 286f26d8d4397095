"""Note and task forms. Lengths are bounded; the assignee must be a user of the tenant in scope."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.accounts.forms import no_line_breaks

MAX_BODY = 10000


def no_nul(_form, field):
    if field.data and "\x00" in field.data:
        raise ValidationError(_l("Control characters are not allowed here."))


def not_blank(_form, field):
    if field.data is not None and not field.data.strip():
        raise ValidationError(_l("This field cannot be empty."))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=MAX_BODY), no_nul, not_blank])


class TaskForm(FlaskForm):
    title = StringField(_l("Task"), validators=[DataRequired(), Length(max=200), no_line_breaks, not_blank])
    due_on = DateField(_l("Due"), validators=[Optional()])
    assignee_id = SelectField(_l("Assigned to"), coerce=str, validate_choice=True)

    def __init__(self, users: list[tuple[int, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee_id.choices = [("", _l("Nobody")), *((str(user_id), name) for user_id, name in users)]

    def validate_due_on(self, field):
        if field.data is not None and not (1900 <= field.data.year <= 2999):
            raise ValidationError(_l("Please enter a date between 1900 and 2999."))

    def assignee(self) -> int | None:
        return int(self.assignee_id.data) if self.assignee_id.data else None
