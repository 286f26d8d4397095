"""Forms: a record form extended with the tenant's custom fields, and the definition form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.customfields import services, validation
from webapp.customfields.models import CustomField

TYPE_LABELS = {
    "text": _l("Text"), "number": _l("Number"), "date": _l("Date"), "choice": _l("Choice from a list"),
    "email": _l("E-mail address"), "phone": _l("Phone number"), "url": _l("Web address (URL)"),
}
INPUT_KIND = {"email": {"type": "email"}, "url": {"type": "url"}, "phone": {"type": "tel"},
              "number": {"inputmode": "decimal"}, "date": {"type": "date"}}


def input_name(field: CustomField) -> str:
    return f"cf_{field.key}"


def _as_input(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _validator(definition: CustomField):
    def check(form, wtfield):
        try:
            form.custom_values[definition.id] = validation.parse(definition, wtfield.data)
        except validation.Invalid as exc:
            raise ValidationError(validation.message(exc.code, exc.params)) from exc
    return check


def _wtfield(definition: CustomField, value):
    options = {"label": definition.label, "default": _as_input(value), "validators": [_validator(definition)],
               "render_kw": {**INPUT_KIND.get(definition.field_type, {}),
                             **({"required": True} if definition.required else {})}}
    if definition.field_type == "choice":
        choices = [SelectChoice("", "—"), *(SelectChoice(choice, choice) for choice in definition.choice_list)]
        if value and value not in definition.choice_list:
            choices.append(SelectChoice(value, value))
        return SelectField(choices=choices, validate_choice=False, **options)
    return StringField(**options)


def extend(base: type[FlaskForm], entity: str, record_id: int | None = None) -> type[FlaskForm]:
    """A subclass of ``base`` with one input per active custom field, filled with the record's values.

    After ``validate()``, ``form.custom_values`` holds the typed values; ``save(form, record_id)``
    stores them."""
    definitions = services.fields(entity)
    values = services.values_of(entity, record_id) if record_id else {}
    attributes = {input_name(d): _wtfield(d, values.get(d.id)) for d in definitions}
    attributes["custom_entity"] = entity
    attributes["custom_inputs"] = [input_name(d) for d in definitions]
    form_class = type(f"{base.__name__}WithCustomFields", (base,), attributes)
    original_init = form_class.__init__

    def __init__(self, *args, **kwargs):  # noqa: N807 - one dict per form instance
        self.custom_values = {}
        original_init(self, *args, **kwargs)

    form_class.__init__ = __init__
    return form_class


def save(form: FlaskForm, record_id: int) -> dict:
    """Store the custom values of a validated ``extend()`` form (a plain form stores nothing)."""
    if not getattr(form, "custom_inputs", None):
        return {}
    return services.save_values(form.custom_entity, record_id, dict(form.custom_values))


# -- the definitions screen -------------------------------------------------------------------

class FieldForm(FlaskForm):
    label = StringField(_l("Label"), validators=[DataRequired(), Length(max=services.LABEL_MAX)])
    key = StringField(_l("Key (for imports, exports and filters)"), validators=[Optional(), Length(max=40)],
                      description=_l("Leave empty to derive it from the label."))
    field_type = SelectField(_l("Type"), choices=[SelectChoice(k, v) for k, v in TYPE_LABELS.items()],
                             default="text")
    choices = TextAreaField(_l("Choices (one per line)"), validators=[Optional(), Length(max=20000)])
    required = BooleanField(_l("Required"))


class NewFieldForm(FieldForm):
    entity = SelectField(_l("Record type"), choices=[SelectChoice("contact", _l("Contacts")),
                                                     SelectChoice("company", _l("Companies"))], default="contact")


def with_values(form: FlaskForm, record):
    """``save`` for a record just written by the caller's service; returns the record."""
    save(form, record.id)
    return record
