"""The upload form and the mapping form (one select per column of the file, built for that file)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice

from webapp.imports.checks import FIELDS, IGNORE
from webapp.imports.mapping import mapping_errors
from webapp.imports.models import MODES
from webapp.imports.problems import encoding_label


def _encoding_choices() -> list[SelectChoice]:
    from webapp.imports.detect import CHOOSABLE_ENCODINGS

    return [SelectChoice("", _l("Detect automatically")),
            *(SelectChoice(name, encoding_label(name)) for name in CHOOSABLE_ENCODINGS)]


ACCEPT = ".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(FlaskForm):
    file = FileField(_l("File (CSV or Excel XLSX)"), validators=[FileRequired(_l("Please choose a file."))],
                     render_kw={"accept": ACCEPT})
    encoding = SelectField(_l("Character encoding (CSV only)"), choices=_encoding_choices(), default="")


MODE_CHOICES = [
    SelectChoice("all_or_nothing", _l("All or nothing: if any row has a problem, import nothing")),
    SelectChoice("valid_rows", _l("Import the valid rows and report the others")),
]


class MappingForm(FlaskForm):
    mode = RadioField(_l("When rows have problems"), choices=MODE_CHOICES, default="all_or_nothing")

    def columns(self) -> list:
        return [getattr(self, f"col_{index}") for index in range(self.width)]

    def mapping(self) -> list[str]:
        return [field.data for field in self.columns()]

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        problems = mapping_errors(self.mapping())
        if "no_last_name" in problems:
            self.form_errors.append(_("Choose the column that holds the last name."))
        if "duplicate" in problems:
            self.form_errors.append(_("Each field can be chosen for one column only."))
        from webapp.customfields.imports import unmapped_required

        if missing := unmapped_required(self.mapping()):
            self.form_errors.append(_("Choose a column for each required field: %(fields)s.",
                                      fields=", ".join(missing)))
        return not problems and not missing


def mapping_form(headers: list[str], mapping: list[str], mode: str) -> MappingForm:
    """A form class for this file's columns: ``col_0`` ... with the suggested (or last) choice."""
    from webapp.customfields import imports as custom_fields

    choices = [SelectChoice(IGNORE, _l("Do not import")), *(SelectChoice(spec.key, spec.label) for spec in FIELDS),
               *(SelectChoice(key, label) for key, label in custom_fields.choices())]

    class FileMappingForm(MappingForm):
        width = len(headers)

    for index, header in enumerate(headers):
        label = header or _l("Column %(number)s", number=index + 1)
        default = mapping[index] if index < len(mapping) else IGNORE
        setattr(FileMappingForm, f"col_{index}", SelectField(label, choices=choices, default=default))
    return FileMappingForm(mode=mode if mode in MODES else "all_or_nothing")
