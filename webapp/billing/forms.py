"""Billing forms: subscriptions and invoice drafts (customer data and up to 20 lines)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms import Form as SubForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from webapp.accounts.forms import no_line_breaks
from webapp.billing.invoices import MAX_LINES, Customer, Line
from webapp.billing.plans import PLANS
from webapp.crm.forms import valid_email

VAT_CHOICES = [SelectChoice("2700", "27 %"), SelectChoice("1800", "18 %"), SelectChoice("500", "5 %"),
               SelectChoice("0", "0 %")]
MAX_UNIT_PRICE = Decimal("100000000")


class SubscriptionForm(FlaskForm):
    plan = SelectField(_l("Plan"), choices=[SelectChoice(plan.key, plan.label) for plan in PLANS.values()])
    seats = IntegerField(_l("Seats"), validators=[DataRequired(), NumberRange(min=1, max=1000)])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])


class EndSubscriptionForm(FlaskForm):
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])


def money(_form, field):
    raw = (field.data or "").strip().replace(" ", "").replace(",", ".")
    if not raw:
        return
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError(_l("Enter an amount such as 9900 or 9900.50.")) from exc
    if not value.is_finite() or value < 0 or value >= MAX_UNIT_PRICE or value != value.quantize(Decimal("0.01")):
        raise ValidationError(_l("Enter an amount such as 9900 or 9900.50."))


class LineForm(SubForm):
    description = StringField(_l("Description"), validators=[Optional(), Length(max=300), no_line_breaks])
    quantity = IntegerField(_l("Quantity"), validators=[Optional(), NumberRange(min=1, max=100000)])
    unit_price = StringField(_l("Unit price (net)"), validators=[Optional(), Length(max=20), money])
    vat_rate = SelectField(_l("VAT"), choices=VAT_CHOICES, default="2700")

    def is_blank(self) -> bool:
        return not (self.description.data or "").strip() and not (self.unit_price.data or "").strip()


class InvoiceForm(FlaskForm):
    customer_name = StringField(_l("Customer name"), validators=[DataRequired(), Length(max=200), no_line_breaks])
    customer_company = StringField(_l("Company"), validators=[Optional(), Length(max=200), no_line_breaks])
    customer_address = TextAreaField(_l("Billing address"), validators=[DataRequired(), Length(max=400)])
    customer_email = StringField(_l("E-mail address"),
                                 validators=[Optional(), Length(max=254), no_line_breaks, valid_email])
    customer_tax_number = StringField(_l("Tax number"), validators=[Optional(), Length(max=40), no_line_breaks])
    lines = FieldList(FormField(LineForm), min_entries=5, max_entries=MAX_LINES)

    def validate_lines(self, field):
        filled = [entry for entry in field.entries if not entry.form.is_blank()]
        if not filled:
            raise ValidationError(_l("Add at least one line."))
        for entry in filled:
            line = entry.form
            if not (line.description.data or "").strip() or not line.quantity.data or not line.unit_price.data:
                raise ValidationError(_l("Every line needs a description, a quantity and a unit price."))

    def customer(self) -> Customer:
        def value(name):
            return (getattr(self, name).data or "").strip() or None

        return Customer(name=value("customer_name"), address=value("customer_address"),
                        company=value("customer_company"), email=value("customer_email"),
                        tax_number=value("customer_tax_number"))

    def invoice_lines(self) -> list[Line]:
        result = []
        for entry in self.lines.entries:
            line = entry.form
            if line.is_blank():
                continue
            cents = int(Decimal(line.unit_price.data.strip().replace(" ", "").replace(",", ".")) * 100)
            result.append(Line(line.description.data.strip(), line.quantity.data, cents, int(line.vat_rate.data)))
        return result

    def fill_from(self, invoice) -> None:
        for name in ("customer_name", "customer_company", "customer_address", "customer_email",
                     "customer_tax_number"):
            getattr(self, name).data = getattr(invoice, name)
        while len(self.lines.entries) < max(5, len(invoice.lines)):
            self.lines.append_entry()
        for entry, line in zip(self.lines.entries, invoice.lines, strict=False):
            entry.form.description.data = line.description
            entry.form.quantity.data = line.quantity
            entry.form.unit_price.data = f"{line.unit_net_cents / 100:.2f}"
            entry.form.vat_rate.data = str(line.vat_rate_bp)
