"""The signup form (site page and widget) and the campaign form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from webapp.accounts.forms import no_line_breaks
from webapp.crm.forms import valid_email


def left_empty(_form, field):
    """The honeypot: people do not see this field, bots fill it in."""
    if field.data:
        raise ValidationError(_l("Please leave this field empty."))


class SignupForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    email = StringField(_l("E-mail address"), validators=[DataRequired(), Length(max=254), no_line_breaks,
                                                          valid_email])
    adult = BooleanField(_l("I am 18 years old or older."),
                         validators=[DataRequired(_l("The newsletter is only for adults; please confirm your age."))])
    agree = BooleanField(_l("Yes, send me the newsletter. I can unsubscribe at any time with one click."),
                         validators=[DataRequired(_l("Please tick the box to subscribe."))])
    clicks = BooleanField(_l("Optional: count my clicks on links in the newsletter, so you learn what interests "
                             "me. Without it, links lead straight to their page."))
    website = StringField(_l("Leave this empty"), validators=[left_empty])


class CampaignForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=50_000)])
    audience = SelectField(_l("Recipients"), default="all")

    def set_segments(self, segments) -> None:
        """"All subscribers" or one saved segment (intersected with the subscribers at send time)."""
        self.audience.choices = [SelectChoice("all", _l("All subscribers"))] + [
            SelectChoice(str(segment.id), segment.name) for segment in segments]

    def segment_id(self) -> int | None:
        return None if self.audience.data in (None, "", "all") else int(self.audience.data)
