"""Which report: one choice of kind and format."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

PORTAL_CHOICES = [SelectChoice("access:html", _l("Full access report, printable page (HTML)")),
                  SelectChoice("access:json", _l("Full access report, JSON")),
                  SelectChoice("access:xml", _l("Full access report, XML")),
                  SelectChoice("portability:csv", _l("Copy of the data you gave us, CSV")),
                  SelectChoice("portability:xlsx", _l("Copy of the data you gave us, Excel (XLSX)")),
                  SelectChoice("portability:xml", _l("Copy of the data you gave us, XML"))]
CONSOLE_CHOICES = PORTAL_CHOICES[:3]


class ReportForm(FlaskForm):
    what = SelectField(_l("What"), choices=PORTAL_CHOICES, validators=[DataRequired()])

    def kind_and_format(self) -> tuple[str, str]:
        kind, _sep, fmt = self.what.data.partition(":")
        return kind, fmt


class ConsoleReportForm(ReportForm):
    what = SelectField(_l("Format"), choices=CONSOLE_CHOICES, validators=[DataRequired()])
