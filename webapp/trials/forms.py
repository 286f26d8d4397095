"""The trial sign-up form: contact details, the terms, and the declaration statement by statement."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from webapp.accounts.forms import no_line_breaks
from webapp.crm.forms import valid_email, valid_phone
from webapp.newsletter.forms import left_empty

REQUIRED = _l("This statement is needed for a trial.")

# (form field, statement key, label): the declaration, one checkbox per statement
DECLARATION = (
    ("adult", "adult_and_authorised",
     _l("I am 18 or older and allowed to act for the company named above.")),
    ("no_special", "no_special_categories",
     _l("I will not store special categories of personal data (health, religion, political views and the like).")),
    ("no_ids", "no_id_numbers", _l("I will not store identity card, passport or similar ID numbers.")),
    ("ui_only", "customer_data_via_ui",
     _l("I will hand over customer data only by entering or importing it in the application, never by e-mail.")),
    ("consultants", "consultants_via_invitation",
     _l("Bizalom consultants may see our settings only if we invite them with \"Invite consultant\".")),
)


class TrialForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    email = StringField(_l("Work e-mail address"), validators=[DataRequired(), Length(max=254), no_line_breaks,
                                                               valid_email])
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=32), no_line_breaks, valid_phone])
    company = StringField(_l("Company"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    terms = BooleanField(_l("I accept the terms of use."), validators=[DataRequired(_l("Please accept the terms."))])
    adult = BooleanField(DECLARATION[0][2], validators=[DataRequired(REQUIRED)])
    no_special = BooleanField(DECLARATION[1][2], validators=[DataRequired(REQUIRED)])
    no_ids = BooleanField(DECLARATION[2][2], validators=[DataRequired(REQUIRED)])
    ui_only = BooleanField(DECLARATION[3][2], validators=[DataRequired(REQUIRED)])
    consultants = BooleanField(DECLARATION[4][2], validators=[DataRequired(REQUIRED)])
    marketing = BooleanField(_l("Optional: you may contact me about offers and news. I can withdraw this at any "
                                "time; the trial does not depend on it."))
    website = StringField(_l("Leave this empty"), validators=[left_empty])

    def statements(self) -> dict[str, bool]:
        given = {key: bool(getattr(self, field).data) for field, key, _label in DECLARATION}
        return given | {"marketing_contact": bool(self.marketing.data)}
