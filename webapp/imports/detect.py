"""What a file is: its format from its content (never its name), a CSV file's encoding and delimiter.

Encoding, when the user does not choose one: a byte-order mark (UTF-8, UTF-16) decides; otherwise
the whole file must decode as UTF-8, else as Windows-1250 (Central European), else ISO-8859-1,
which decodes anything. A guessed encoding is recorded and shown, never used silently.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from pathlib import Path

from webapp.imports.problems import FileProblem

SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
DELIMITERS = (",", ";", "\t")
AUTO_ENCODINGS = ("utf-8", "cp1250", "latin-1")
CHOOSABLE_ENCODINGS = ("utf-8", "utf-16", "cp1250", "iso-8859-2", "cp1252")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy XLS, and encrypted XLSX
BINARY_MAGICS = (b"%PDF", b"\x1f\x8b", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"{\\rtf", b"7z\xbc\xaf", b"Rar!")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_TEXT_CONTROLS = {9, 10, 12, 13}


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SAMPLE_BYTES)


def _first_bytes(archive: zipfile.ZipFile, name: str, count: int = 100) -> bytes:
    with archive.open(name) as member:
        return member.read(count)


def _zip_format(path: Path, max_unpacked: int) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            unpacked = sum(info.file_size for info in infos)
            mimetype = _first_bytes(archive, "mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise FileProblem("not_table") from exc
    if b"opendocument.spreadsheet" in mimetype:
        raise FileProblem("ods")
    if "xl/workbook.xml" not in names:
        raise FileProblem("not_table")
    if unpacked > max_unpacked:
        raise FileProblem("unpacked_too_large", mb=max_unpacked // (1024 * 1024))
    return "xlsx"


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head or head.startswith(BINARY_MAGICS):
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > len(head) // 100


def detect_format(path: Path, max_unpacked: int) -> str:
    """``csv`` or ``xlsx``, judged by the content; anything else is a FileProblem."""
    head = _head(path)
    if not head:
        raise FileProblem("empty")
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path, max_unpacked)
    if head.startswith(OLE_MAGIC):
        raise FileProblem("xls")
    if head.startswith(UTF16_BOMS):
        return "csv"
    if _looks_binary(head):
        raise FileProblem("not_table")
    return "csv"


def decodes_as(path: Path, encoding: str) -> bool:
    """True when the whole file is valid text in ``encoding`` (read in chunks, never all at once)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path, chosen: str | None = None) -> tuple[str, bool]:
    """(encoding, guessed): ``guessed`` when the file was not UTF-8 and the user chose nothing."""
    head = _head(path)
    if chosen:
        if chosen == "utf-8" and head.startswith(codecs.BOM_UTF8):
            chosen = "utf-8-sig"
        if not decodes_as(path, chosen):
            raise FileProblem("not_in_encoding", encoding=chosen)
        return chosen, False
    if head.startswith(codecs.BOM_UTF8):
        return ("utf-8-sig", False) if decodes_as(path, "utf-8-sig") else _fallback(path)
    if head.startswith(UTF16_BOMS):
        if not decodes_as(path, "utf-16"):
            raise FileProblem("not_in_encoding", encoding="utf-16")
        return "utf-16", False
    if decodes_as(path, "utf-8"):
        return "utf-8", False
    return _fallback(path)


def _fallback(path: Path) -> tuple[str, bool]:
    for encoding in AUTO_ENCODINGS[1:]:
        if decodes_as(path, encoding):
            return encoding, True
    raise FileProblem("not_in_encoding", encoding="latin-1")  # unreachable: latin-1 decodes any byte


def sample_text(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        text = handle.read(SAMPLE_BYTES)
        more = bool(handle.read(1))
    if more and "\n" in text:
        text = text[: text.rindex("\n")]  # drop the cut-off last line
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter (comma, semicolon or tab) that splits the sample into the most consistent rows."""
    best, best_score = ",", (False, 0, 0)
    for delimiter in DELIMITERS:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]
        if not rows:
            continue
        width = len(rows[0])
        score = (width > 1, sum(1 for row in rows if len(row) == width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best
