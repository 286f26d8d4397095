"""Forms of the website editor: page texts per language, and the authority details."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from webapp.accounts.forms import no_line_breaks
from webapp.subprocessors.forms import http_url

MAX_BODY = 100_000


class PageForm(FlaskForm):
    title_de = StringField(_l("Title in German"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    title_hu = StringField(_l("Title in Hungarian"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    body_de = TextAreaField(_l("Text in German (HTML)"), validators=[Length(max=MAX_BODY)])
    body_en = TextAreaField(_l("Text in English (HTML)"), validators=[Length(max=MAX_BODY)])
    body_hu = TextAreaField(_l("Text in Hungarian (HTML)"), validators=[Length(max=MAX_BODY)])


class AuthorityForm(FlaskForm):
    name = StringField(_l("Name of the authority"), validators=[DataRequired(), Length(max=300), no_line_breaks])
    address = StringField(_l("Address"), validators=[Length(max=300), no_line_breaks])
    phone = StringField(_l("Phone"), validators=[Length(max=50), no_line_breaks])
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=254), no_line_breaks,
                                                          Email(check_deliverability=False)])
    web = StringField(_l("Website"), validators=[Length(max=300), no_line_breaks, http_url])
    complaint_de = TextAreaField(_l("How to complain, in German (HTML)"), validators=[Length(max=MAX_BODY)])
    complaint_en = TextAreaField(_l("How to complain, in English (HTML)"), validators=[Length(max=MAX_BODY)])
    complaint_hu = TextAreaField(_l("How to complain, in Hungarian (HTML)"), validators=[Length(max=MAX_BODY)])
