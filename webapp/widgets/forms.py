"""Widget forms: the site's sign-up forms, with the signed widget token in place of the CSRF cookie."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from webapp.newsletter.forms import SignupForm
from webapp.trials.forms import TrialForm
from webapp.workshops.forms import WorkshopForm

SITE_FORMS = {"newsletter": SignupForm, "workshop": WorkshopForm, "trial": TrialForm}


class _NoCsrfCookie:
    csrf = False


def widget_form_class(kind: str) -> type[FlaskForm]:
    base = SITE_FORMS[kind]
    return type(f"Widget{base.__name__}", (base,), {"Meta": _NoCsrfCookie, "wt": HiddenField()})


class OriginForm(FlaskForm):
    origin = StringField(_l("Website address (origin)"), validators=[DataRequired(), Length(max=200)])
