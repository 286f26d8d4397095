"""The confirmation of an erasure: a checkbox, no script."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired


class ConfirmErasureForm(FlaskForm):
    confirm = BooleanField(_l("I checked the person's identity; erase everything we may erase."),
                           validators=[DataRequired(_l("Tick the box to confirm the erasure."))])
