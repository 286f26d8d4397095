"""The rejection report: written by the job as codes, downloaded as CSV in the reader's language.

On disk (``<stored>.report``): row number, column index, the value as given (cut at 500
characters), reason code, reason parameters as JSON. The download adds the column names and the
reasons in words, puts file-level notes first, and neutralises every cell that came from the file
against formula injection.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.imports import files
from webapp.imports.models import ImportRecord
from webapp.imports.problems import encoding_note, row_reason

VALUE_LENGTH = 500
SHOWN_ON_PAGE = 20
SPOOL_BYTES = 1024 * 1024


class ReportWriter:
    def __init__(self, path: Path):
        self.handle = files.create_exclusive(path, "w")
        self.writer = csv.writer(self.handle)

    def add(self, row_number: int, problems: list) -> None:
        for column, value, code, params in problems:
            self.writer.writerow([row_number, "" if column is None else column, str(value)[:VALUE_LENGTH], code,
                                  json.dumps(params, sort_keys=True) if params else ""])

    def close(self) -> None:
        self.handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()


def _entries(path: Path, limit: int | None = None) -> Iterator[tuple[str, int | None, str, str, dict]]:
    with open(path, encoding="utf-8", newline="") as handle:
        for count, (row, column, value, code, params) in enumerate(csv.reader(handle)):
            if limit is not None and count >= limit:
                return
            yield row, int(column) if column else None, value, code, json.loads(params) if params else {}


def report_path(record: ImportRecord) -> Path:
    return files.path_of(record.tenant_id, record.stored_name, ".report")


def available(record: ImportRecord) -> bool:
    return record.has_report and report_path(record).exists()


def column_name(headers: list[str], column: int | None) -> str:
    if column is None:
        return ""
    name = headers[column] if column < len(headers) else ""
    return name or _("Column %(number)s", number=column + 1)


def problems_for_page(record: ImportRecord) -> tuple[list[dict], bool]:
    """The first problems, for the status page (escaped there like any text), and whether there are more."""
    if not available(record):
        return [], False
    headers = record.headers
    shown = [{"row": row, "column": column_name(headers, column), "value": value, "reason": row_reason(code, params)}
             for row, column, value, code, params in _entries(report_path(record), SHOWN_ON_PAGE + 1)]
    return shown[:SHOWN_ON_PAGE], len(shown) > SHOWN_ON_PAGE


def _delimiter(record: ImportRecord) -> str:
    if record.file_format == "csv" and record.delimiter:
        return record.delimiter
    return ";" if str(get_locale()) in ("de", "hu") else ","  # what Excel expects in those languages


def _line(buffer: io.StringIO, writer, cells: list) -> str:
    writer.writerow(cells)
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def download_lines(record: ImportRecord) -> Iterator[str]:
    """The report as CSV text (UTF-8 with BOM so spreadsheets get the accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=_delimiter(record))
    headers = record.headers
    yield "\ufeff" + _line(buffer, writer, [_("Row"), _("Column"), _("Value"), _("Reason")])
    if record.encoding_guessed:
        yield _line(buffer, writer, ["", "", "", encoding_note(record.encoding)])
    for row, column, value, code, params in _entries(report_path(record)):
        cells = [row, files.neutralise(column_name(headers, column)), files.neutralise(value), row_reason(code, params)]
        yield _line(buffer, writer, cells)


def render_download(record: ImportRecord):
    """The whole download in a temporary file (in memory up to 1 MB), translated while the request
    is still there; the response sends and closes it."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the response
    for line in download_lines(record):
        spool.write(line.encode("utf-8"))
    spool.seek(0)
    return spool
