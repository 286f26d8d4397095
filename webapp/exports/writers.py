"""Streaming writers for CSV, XLSX and XML; each returns the SHA-256 of the file it wrote.

CSV and XML are built one batch at a time in a small text buffer that is encoded, hashed and
written to the file after each batch. XLSX uses openpyxl's write-only mode (rows go to a temporary
file as they arrive, strings are written inline); the saved file is then hashed in chunks.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

from webapp.exports.cells import is_phone_number, neutralise, xml_safe
from webapp.exports.sources import Entity

XML_NAMESPACE = "urn:bizalom:export:1"
CHUNK = 1024 * 1024
MIME_TYPES = {
    "csv": "text/csv",  # Flask adds "; charset=utf-8"
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xml": "application/xml",
}


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashedTextFile:
    """A UTF-8 file written from a text buffer that is emptied after each batch, hashed on the way."""

    def __init__(self, path: Path):
        self.handle = path.open("wb")
        self.digest = hashlib.sha256()
        self.buffer = io.StringIO()

    def drain(self) -> None:
        data = self.buffer.getvalue().encode("utf-8")
        self.buffer.seek(0)
        self.buffer.truncate()
        self.digest.update(data)
        self.handle.write(data)

    def close(self) -> str:
        self.drain()
        self.handle.close()
        return self.digest.hexdigest()

    def discard(self) -> None:
        self.handle.close()


class CsvWriter:
    """UTF-8 with a byte order mark (so Excel reads the accents), every field quoted (OWASP)."""

    def __init__(self, path: Path, entity: Entity):
        self.out = _HashedTextFile(path)
        self.csv = csv.writer(self.out.buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        self.out.buffer.write("\ufeff")
        self.csv.writerow(entity.columns)

    @staticmethod
    def _field(value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return iso_utc(value)
        if isinstance(value, str):
            return neutralise(value)
        return str(value)

    def write(self, rows: Iterable[Sequence]) -> None:
        self.csv.writerows([self._field(value) for value in row] for row in rows)
        self.out.drain()

    def finish(self) -> str:
        return self.out.close()

    def discard(self) -> None:
        self.out.discard()


class XlsxWriter:
    """One sheet, a header row, then one row per record; text is always a string cell."""

    def __init__(self, path: Path, entity: Entity):
        self.path = path
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(entity.name)
        self.phones = {entity.columns.index(name) for name in entity.phone_columns}
        self.sheet.append(list(entity.columns))

    def _cell(self, index: int, value):
        if isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)
        if not isinstance(value, str):
            return value
        text = xml_safe(value)
        if index in self.phones and is_phone_number(text):
            return self._string_cell(text, quote_prefix=True)
        text = neutralise(text)
        if text.startswith("=") or text in ERROR_CODES:  # cannot happen after neutralise for "="; kept explicit
            return self._string_cell(text)
        return text  # openpyxl stores any other str as a string cell

    def _string_cell(self, text: str, quote_prefix: bool = False):
        cell = WriteOnlyCell(self.sheet, text)
        cell.data_type = "s"  # never a formula or an error value, whatever the text looks like
        if quote_prefix:
            cell.quotePrefix = True  # Excel's "this is text" flag, what a typed leading ' sets
        return cell

    def write(self, rows: Iterable[Sequence]) -> None:
        for row in rows:
            self.sheet.append([self._cell(index, value) for index, value in enumerate(row)])

    def finish(self) -> str:
        self.book.save(self.path)
        return file_sha256(self.path)

    def discard(self) -> None:
        """After a failure: close the sheet and delete openpyxl's temporary file of its rows."""
        writer = getattr(self.sheet, "_writer", None)
        if writer is None:
            return
        with contextlib.suppress(Exception):  # already failing: the original error is what matters
            self.sheet.close()
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()


class XmlWriter:
    """``<contacts xmlns="urn:bizalom:export:1"><contact><id>1</id>…</contact>…</contacts>``, written
    incrementally. Element names are our fixed column names; text is escaped (``& < >``, and a carriage
    return as ``&#13;`` so parsers keep it); a NULL value has no element."""

    ESCAPES = {"\r": "&#13;"}

    def __init__(self, path: Path, entity: Entity):
        self.out = _HashedTextFile(path)
        self.entity = entity
        self.out.buffer.write(f'<?xml version="1.0" encoding="utf-8"?>\n<{entity.name} xmlns="{XML_NAMESPACE}">\n')

    @classmethod
    def _text(cls, value) -> str:
        if isinstance(value, datetime):
            return iso_utc(value)
        return escape(xml_safe(value), cls.ESCAPES) if isinstance(value, str) else str(value)

    def write(self, rows: Iterable[Sequence]) -> None:
        tag, write = self.entity.row_tag, self.out.buffer.write
        for row in rows:
            fields = "".join(f"<{name}>{self._text(value)}</{name}>"
                             for name, value in zip(self.entity.columns, row, strict=True) if value is not None)
            write(f"<{tag}>{fields}</{tag}>\n")
        self.out.drain()

    def finish(self) -> str:
        self.out.buffer.write(f"</{self.entity.name}>\n")
        return self.out.close()

    def discard(self) -> None:
        self.out.discard()


WRITERS = {"csv": CsvWriter, "xlsx": XlsxWriter, "xml": XmlWriter}
