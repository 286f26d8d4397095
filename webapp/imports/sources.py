"""Reading a stored file row by row: CSV (decoded, delimited) or XLSX (openpyxl, streaming).

``open_source`` yields a source whose ``rows()`` gives ``(row_number, cells)`` for every row,
the header row being number 1, as a spreadsheet numbers them; cells are strings. ``fraction()``
estimates how much of the file has been read, for progress reports.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from webapp.imports import detect
from webapp.imports.problems import FileProblem

MAX_COLUMNS = 200
MAX_LINE = 2 * 1024 * 1024  # characters of one line of a CSV file (the csv module allows 128 KB per cell)
HEADER_LENGTH = 100
SAMPLE_ROWS = 3


class CsvSource:
    def __init__(self, path: Path, encoding: str, delimiter: str):
        self.size = max(path.stat().st_size, 1)
        self.raw = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.text = io.TextIOWrapper(self.raw, encoding=encoding, errors="strict", newline="")
        self.reader = csv.reader(self._lines(), delimiter=delimiter)

    def _lines(self) -> Iterator[str]:
        """The file's lines, none longer than MAX_LINE: a 100 MB line is refused, never held in memory."""
        while line := self.text.readline(MAX_LINE + 1):
            if len(line) > MAX_LINE:
                raise csv.Error("line too long")
            yield line

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        number = 0
        while True:
            try:
                cells = next(self.reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                raise FileProblem("malformed_csv", row=number + 1) from exc
            number += 1
            yield number, cells

    def fraction(self) -> float:
        return min(1.0, self.raw.tell() / self.size)

    def close(self) -> None:
        self.text.close()


def cell_text(value) -> str:
    """An XLSX cell as text: whole numbers without ``.0``, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


class XlsxSource:
    def __init__(self, path: Path):
        import openpyxl

        self.handle = open(path, "rb")  # noqa: SIM115 - a file object: stored names have no .xlsx suffix
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
                self.book = openpyxl.load_workbook(self.handle, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any parse failure means an unreadable workbook
            self.handle.close()
            raise FileProblem("xlsx_unreadable") from exc
        if not self.book.worksheets:
            self.close()
            raise FileProblem("no_sheet")
        self.sheet = self.book.worksheets[0]
        self.declared_rows = self.sheet.max_row or 0
        self.sheet.reset_dimensions()  # some writers declare wrong dimensions; read what is there
        self.read = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(self.sheet.iter_rows(values_only=True), start=1):
                self.read = number
                yield number, [cell_text(value) for value in values]
        except FileProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet part surfaces while streaming
            raise FileProblem("xlsx_unreadable") from exc

    def fraction(self) -> float:
        return min(1.0, self.read / self.declared_rows) if self.declared_rows > 1 else 0.0

    def close(self) -> None:
        self.book.close()
        self.handle.close()


@contextmanager
def open_source(path: Path, file_format: str, encoding: str | None = None, delimiter: str | None = None):
    source = XlsxSource(path) if file_format == "xlsx" else CsvSource(path, encoding or "utf-8", delimiter or ",")
    try:
        yield source
    finally:
        source.close()


def clean_header(value: str) -> str:
    text = unicodedata.normalize("NFC", value)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:HEADER_LENGTH]


def is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


@dataclass
class Inspection:
    file_format: str
    encoding: str | None = None
    encoding_guessed: bool = False
    delimiter: str | None = None
    headers: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)


def _read_head(source, inspection: Inspection) -> None:
    rows = source.rows()
    number, header = next(rows, (0, []))
    if number == 0 or is_blank(header):
        raise FileProblem("no_header")
    while header and not header[-1].strip():
        header = header[:-1]  # empty trailing header cells (spreadsheet padding) are no columns
    if len(header) > MAX_COLUMNS:
        raise FileProblem("too_many_columns", max=MAX_COLUMNS)
    inspection.headers = [clean_header(cell) for cell in header]
    for _number, cells in rows:
        if not is_blank(cells):
            inspection.sample.append([cell[:60] for cell in cells[: len(header)]])
        if len(inspection.sample) == SAMPLE_ROWS:
            break
    if not inspection.sample:
        raise FileProblem("no_rows")


def inspect_file(path: Path, max_unpacked: int, chosen_encoding: str | None = None) -> Inspection:
    """Format, encoding, delimiter, column names and a few sample rows; FileProblem if unusable."""
    inspection = Inspection(detect.detect_format(path, max_unpacked))
    if inspection.file_format == "csv":
        inspection.encoding, inspection.encoding_guessed = detect.detect_encoding(path, chosen_encoding)
        inspection.delimiter = detect.sniff_delimiter(detect.sample_text(path, inspection.encoding))
    with open_source(path, inspection.file_format, inspection.encoding, inspection.delimiter) as source:
        _read_head(source, inspection)
    return inspection
