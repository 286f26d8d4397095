"""What can be wrong with a file or a row, as codes with parameters, put into words when shown.

Jobs store codes (``FileProblem.code``, the report's reason column); the page or the report
download translates them into the reader's language.
"""

from __future__ import annotations

from flask_babel import gettext as _

ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp1250": "Windows-1250 (Central European)",
    "iso-8859-2": "ISO-8859-2 (Central European)",
    "cp1252": "Windows-1252 (Western European)",
    "latin-1": "ISO-8859-1 (Western European)",
}


class FileProblem(Exception):
    """The file as a whole cannot be imported."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return file_message(self.code, self.params)


def encoding_label(name: str | None) -> str:
    return ENCODING_LABELS.get(name or "", name or "")


def _file_messages(p: dict) -> dict:
    return {
        "empty": lambda: _("The file is empty."),
        "not_table": lambda: _("This is not a CSV or Excel (XLSX) file. Please save the table as CSV or XLSX "
                               "and upload it again."),
        "xls": lambda: _("This is an old-format or password-protected Excel file. Please save it as an Excel "
                         "workbook (XLSX) without a password, or as CSV."),
        "ods": lambda: _("This is an OpenDocument spreadsheet. Please save it as XLSX or CSV."),
        "xlsx_unreadable": lambda: _("The Excel file could not be read; it may be damaged. Please save it again "
                                     "as XLSX or CSV."),
        "unpacked_too_large": lambda: _("The Excel file unpacks to more than %(mb)s MB. Please split it or save "
                                        "it as CSV.", mb=p.get("mb")),
        "no_sheet": lambda: _("The Excel file has no worksheet."),
        "not_in_encoding": lambda: _("The file is not valid %(encoding)s text. Choose another encoding, or let us "
                                     "detect it.", encoding=encoding_label(p.get("encoding"))),
        "no_header": lambda: _("The first row must hold the column names."),
        "no_rows": lambda: _("The file has column names but no rows to import."),
        "too_many_columns": lambda: _("The file has more than %(max)s columns.", max=p.get("max")),
        "too_many_rows": lambda: _("The file has more than %(max)s rows. Please split it into smaller files.",
                                   max=p.get("max")),
        "malformed_csv": lambda: _("The CSV file is malformed near row %(row)s (for example a quote that is "
                                   "never closed, or a cell that is far too long).", row=p.get("row")),
        "file_missing": lambda: _("The uploaded file has been deleted. Please upload it again."),
        "interrupted": lambda: _("The import was interrupted. Nothing was imported. Please start it again."),
        "internal": lambda: _("The import failed because of an error on our side. Nothing was imported. "
                              "Please try again later."),
    }


def file_message(code: str, params: dict | None = None) -> str:
    messages = _file_messages(params or {})
    return (messages.get(code) or messages["internal"])()


def _row_reasons(p: dict) -> dict:
    return {
        "too_few_cells": lambda: _("This row has %(found)s cells, the header row has %(expected)s.",
                                   found=p.get("found"), expected=p.get("expected")),
        "too_many_cells": lambda: _("This row has %(found)s cells, the header row has %(expected)s.",
                                    found=p.get("found"), expected=p.get("expected")),
        "required": lambda: _("A last name is required."),
        "too_long": lambda: _("Longer than %(max)s characters.", max=p.get("max")),
        "control_chars": lambda: _("Contains control characters or line breaks."),
        "invalid_email": lambda: _("Not a valid e-mail address."),
        "invalid_phone": lambda: _("Not a valid phone number (for example +36 20 123 4567)."),
        "invalid_date": lambda: _("Not a valid date (use 2024-03-15, 15.03.2024 or 2024.03.15.)."),
        "duplicate_email": lambda: _("The same e-mail address is already in row %(row)s.", row=p.get("row")),
        "email_exists": lambda: _("A contact with this e-mail address already exists."),
    }


def row_reason(code: str, params: dict | None = None) -> str:
    reasons = _row_reasons(params or {})
    if code in reasons:
        return reasons[code]()
    from webapp.customfields.imports import reason  # a custom field's reason

    return reason(code, params or {}) or code


def encoding_note(encoding: str | None) -> str:
    return _("The file was not UTF-8 text; it was read as %(encoding)s. Please check that accented letters "
             "look right.", encoding=encoding_label(encoding))
