"""The export form: what to export, in which format, and an optional filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from webapp.accounts.forms import no_line_breaks
from webapp.exports.sources import SEARCH_MAX


class ExportForm(FlaskForm):
    entity = SelectField(_l("What"), choices=[SelectChoice("contacts", _l("Contacts")),
                                              SelectChoice("companies", _l("Companies"))], validators=[DataRequired()])
    format = SelectField(_l("Format"), choices=[SelectChoice("xlsx", _l("Excel (XLSX)")),
                                                SelectChoice("csv", _l("CSV (UTF-8)")), SelectChoice("xml", "XML")],
                         validators=[DataRequired()])
    search = StringField(_l("Only names starting with"),
                         validators=[Optional(), Length(max=SEARCH_MAX), no_line_breaks])
    include_trashed = BooleanField(_l("Include records in the trash"))
    company_id = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,10}$")])

    def filters(self) -> dict:
        """The filter as stored in the export log (JSON)."""
        company = int(self.company_id.data) if self.company_id.data and self.entity.data == "contacts" else None
        return {"search": (self.search.data or "").strip(), "company_id": company,
                "include_trashed": bool(self.include_trashed.data)}
