"""Forms of the privacy-notice screens. Bodies are HTML, sanitised by the service on save."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

MAX_BODY = 200_000


def category_choices():
    return [("necessary", _l("Necessary")), ("analytics", _l("Analytics")), ("marketing", _l("Marketing"))]


class DraftForm(FlaskForm):
    body_de = TextAreaField(_l("Text in German (HTML)"), validators=[Length(max=MAX_BODY)])
    body_en = TextAreaField(_l("Text in English (HTML)"), validators=[Length(max=MAX_BODY)])
    body_hu = TextAreaField(_l("Text in Hungarian (HTML)"), validators=[Length(max=MAX_BODY)])
    summary = TextAreaField(_l("Summary of changes"), validators=[Length(max=2000)])
    changed_categories = SelectMultipleField(
        _l("Consent categories whose purposes change (visitors are asked again)"), choices=category_choices,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(), validate_choice=True)
