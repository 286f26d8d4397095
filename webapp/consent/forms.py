"""Forms: the decision (banner and settings page), the evidence range and the tag settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, StringField
from wtforms.validators import Length, Optional, Regexp

from webapp.consent import tags

DECISION_ACTIONS = ("accept_all", "reject_all", "choose")
SETTINGS_ACTIONS = (*DECISION_ACTIONS, "withdraw")


class DecisionForm(FlaskForm):
    """CSRF only: the action, categories and services are read as lists and checked by the service."""

    next = HiddenField(validators=[Optional(), Length(max=2000)])


class RangeForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    consent_id = StringField(_l("Consent id"), validators=[
        Optional(), Length(max=32), Regexp(r"^[A-Za-z0-9_-]*\Z", message=_l("Not a consent id."))])


class TagSettingsForm(FlaskForm):
    google_ads_enabled = BooleanField(_l("Google Ads on"))
    google_ads_id = StringField(_l("Google Ads id"), validators=[
        Optional(), Length(max=32), Regexp(tags.GOOGLE_ADS_ID.pattern + r"\Z",
                                           message=_l("Use the form AW-123456789."))])
    google_ads_conversion_label = StringField(_l("Conversion label"), validators=[
        Optional(), Length(max=64), Regexp(tags.CONVERSION_LABEL.pattern + r"\Z",
                                           message=_l("Letters, digits, - and _ only."))])
    facebook_pixel_enabled = BooleanField(_l("Facebook pixel on"))
    facebook_pixel_id = StringField(_l("Facebook pixel id"), validators=[
        Optional(), Length(max=32), Regexp(tags.PIXEL_ID.pattern + r"\Z", message=_l("Digits only (6 to 20)."))])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.google_ads_enabled.data and not self.google_ads_id.data:
            self.google_ads_id.errors.append(_l("Needed while Google Ads is on."))
            ok = False
        if self.facebook_pixel_enabled.data and not self.facebook_pixel_id.data:
            self.facebook_pixel_id.errors.append(_l("Needed while the pixel is on."))
            ok = False
        return ok
