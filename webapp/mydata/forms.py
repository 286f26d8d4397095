"""The portal's one form: which address to send a link to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from webapp.accounts.forms import no_line_breaks
from webapp.crm.forms import valid_email


class LinkForm(FlaskForm):
    email = StringField(_l("Your e-mail address"), validators=[DataRequired(), Length(max=254), no_line_breaks,
                                                               valid_email])
