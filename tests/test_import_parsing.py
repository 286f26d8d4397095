"""Import building blocks without the web: formats, encodings, delimiters, rows, dates, headers."""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from datetime import date

import pytest

from tests.test_import_support import csv_bytes, xlsx_bytes
from webapp.imports import detect
from webapp.imports.checks import BY_KEY, Field, Invalid, check_row, check_value, parse_date
from webapp.imports.files import display_name, neutralise
from webapp.imports.mapping import header_key, mapping_errors, suggest
from webapp.imports.problems import FileProblem
from webapp.imports.sources import cell_text, inspect_file, open_source

LIMIT = 10 * 1024 * 1024


def _file(tmp_path, data: bytes, name: str = "upload"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _problem(call) -> str:
    with pytest.raises(FileProblem) as caught:
        call()
    return caught.value.code


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-15", date(2024, 3, 15)),
    ("2024-03-15 00:00:00", date(2024, 3, 15)),
    ("15.03.2024", date(2024, 3, 15)),
    ("5.3.2024", date(2024, 3, 5)),
    ("2024.03.15.", date(2024, 3, 15)),
    ("2024. 03. 15.", date(2024, 3, 15)),
    ("2024.3.5", date(2024, 3, 5)),
    (" 29.02.2024 ", date(2024, 2, 29)),
])
def test_dates_in_iso_german_and_hungarian_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31.02.2024", "29.02.2023", "2024-13-01", "03/15/2024", "15.03.24", "tomorrow",
                                  "2024.03.15.15", "", "１５.03.2024"])
def test_impossible_or_ambiguous_dates_are_refused(text):
    with pytest.raises(Invalid) as caught:
        parse_date(text)
    assert caught.value.code == "invalid_date"


def test_a_date_field_uses_the_helper():
    birthday = Field("birthday", "Birthday", kind="date")
    assert check_value(birthday, "15.03.2024") == date(2024, 3, 15)
    assert check_value(birthday, "") is None


@pytest.mark.parametrize(("headers", "expected"), [
    (["First name", "Last name", "E-mail", "Phone", "Company"],
     ["first_name", "last_name", "email", "phone", "company"]),
    (["Vorname", "Nachname", "E-Mail-Adresse", "Telefon", "Firma"],
     ["first_name", "last_name", "email", "phone", "company"]),
    (["Vezetéknév", "Keresztnév", "E-mail cím", "Telefonszám", "Cégnév"],
     ["last_name", "first_name", "email", "phone", "company"]),
    (["  NACHNAME ", "Handy", "Notiz", "Mobil"], ["last_name", "phone", "ignore", "ignore"]),
    (["", "Utónév", "családnév"], ["ignore", "first_name", "last_name"]),
])
def test_header_suggestions_in_three_languages(headers, expected):
    assert suggest(headers) == expected


def test_header_keys_ignore_case_accents_and_punctuation():
    assert header_key("E-Mail-Adresse") == "emailadresse"
    assert header_key("Keresztnév") == header_key("KERESZTNEV") == "keresztnev"


def test_a_mapping_needs_a_last_name_and_each_field_once():
    assert mapping_errors(["first_name", "email"]) == ["no_last_name"]
    assert mapping_errors(["last_name", "last_name"]) == ["duplicate"]
    assert mapping_errors(["last_name", "ignore", "ignore"]) == []


def test_values_are_normalised_like_the_contact_form():
    assert check_value(BY_KEY["email"], "  Anna.Kovacs@EXAMPLE.com ") == "Anna.Kovacs@example.com"
    assert check_value(BY_KEY["phone"], "20 123 4567") == "+36201234567"
    assert check_value(BY_KEY["phone"], "+49 30 1234567") == "+49301234567"
    decomposed = "Jo\u0308rg"  # a Mac's decomposed umlaut
    assert check_value(BY_KEY["first_name"], decomposed) == "Jörg"
    assert check_value(BY_KEY["company"], "  Tisza   Kft. ") == "Tisza Kft."


@pytest.mark.parametrize(("key", "raw", "code"), [
    ("last_name", "   ", "required"),
    ("last_name", "x" * 101, "too_long"),
    ("first_name", "Anna\nMaria", "control_chars"),
    ("first_name", "Anna\x00", "control_chars"),
    ("last_name", "Evil\u202eemanl", "control_chars"),
    ("email", "not-an-address", "invalid_email"),
    ("email", "anna@example..com", "invalid_email"),
    ("phone", "12", "invalid_phone"),
    ("phone", "call me", "invalid_phone"),
    ("company", "c" * 201, "too_long"),
])
def test_bad_values_get_a_reason(key, raw, code):
    with pytest.raises(Invalid) as caught:
        check_value(BY_KEY[key], raw)
    assert caught.value.code == code


def test_html_and_formulas_in_names_stay_text():
    assert check_value(BY_KEY["last_name"], "<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert check_value(BY_KEY["first_name"], '=HYPERLINK("http://evil","x")') == '=HYPERLINK("http://evil","x")'


def test_ragged_rows():
    plan = {"last_name": 0, "email": 1}
    assert check_row(["Nagy", "n@example.com"], plan, 2, "csv").ok
    assert check_row(["Nagy", "n@example.com", "", " "], plan, 2, "csv").ok  # empty trailing cells
    too_many = check_row(["Nagy", "n@example.com", "extra"], plan, 2, "csv").problems
    assert too_many == [(None, "", "too_many_cells", {"found": 3, "expected": 2})]
    too_few = check_row(["Nagy"], plan, 2, "csv").problems
    assert too_few == [(None, "", "too_few_cells", {"found": 1, "expected": 2})]
    assert check_row(["Nagy"], plan, 2, "xlsx").ok  # spreadsheets leave out empty trailing cells


def test_neutralise_formula_triggers():
    for payload in ("=1+1", "+36201234567", "-2", "@SUM(A1)", "\tx", "\rx", "  =cmd"):
        assert neutralise(payload).startswith("'")
    assert neutralise("Kovács") == "Kovács"


def test_display_names_lose_folders_and_controls():
    assert display_name("C:\\Users\\anna\\kontakte.csv") == "kontakte.csv"
    assert display_name("../../etc/passwd\x00.csv") == "passwd.csv"
    assert len(display_name("a" * 500 + ".csv")) == 200
    assert display_name(None) == "upload"


def test_formats_are_judged_by_content(tmp_path):
    assert detect.detect_format(_file(tmp_path, xlsx_bytes([["a"]]), "renamed.csv"), LIMIT) == "xlsx"
    assert detect.detect_format(_file(tmp_path, b"Nachname\nNagy\n", "list.xlsx"), LIMIT) == "csv"
    assert _problem(lambda: detect.detect_format(_file(tmp_path, b""), LIMIT)) == "empty"
    assert _problem(lambda: detect.detect_format(_file(tmp_path, os.urandom(4096)), LIMIT)) == "not_table"
    assert _problem(lambda: detect.detect_format(_file(tmp_path, detect.OLE_MAGIC + b"\0" * 600), LIMIT)) == "xls"
    assert _problem(lambda: detect.detect_format(_file(tmp_path, b"%PDF-1.7\n..."), LIMIT)) == "not_table"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_other_zip_files_are_refused(tmp_path):
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    ods = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    bomb = _zip({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * (LIMIT + 1)})
    assert _problem(lambda: detect.detect_format(_file(tmp_path, docx), LIMIT)) == "not_table"
    assert _problem(lambda: detect.detect_format(_file(tmp_path, ods), LIMIT)) == "ods"
    assert _problem(lambda: detect.detect_format(_file(tmp_path, bomb), LIMIT)) == "unpacked_too_large"
    broken = xlsx_bytes([["a"]])[:-200]
    assert _problem(lambda: detect.detect_format(_file(tmp_path, broken), LIMIT)) == "not_table"


def test_encodings_are_detected_and_guesses_flagged(tmp_path):
    text = "Nachname;Vorname\nŐz;Ű\n"
    assert detect.detect_encoding(_file(tmp_path, codecs.BOM_UTF8 + text.encode())) == ("utf-8-sig", False)
    assert detect.detect_encoding(_file(tmp_path, text.encode())) == ("utf-8", False)
    assert detect.detect_encoding(_file(tmp_path, text.encode("utf-16"))) == ("utf-16", False)
    assert detect.detect_encoding(_file(tmp_path, text.encode("cp1250"))) == ("cp1250", True)
    assert detect.detect_encoding(_file(tmp_path, b"Name\nX\x81\x83\n")) == ("latin-1", True)  # not cp1250 either


def test_a_chosen_encoding_must_fit(tmp_path):
    path = _file(tmp_path, "Név\nŐsz\n".encode("cp1250"))
    assert detect.detect_encoding(path, "cp1250") == ("cp1250", False)
    assert _problem(lambda: detect.detect_encoding(path, "utf-8")) == "not_in_encoding"


@pytest.mark.parametrize(("delimiter", "rows"), [
    (",", [["a", "b", "c"], ["1", "2", "3"]]),
    (";", [["Name", "Firma"], ["Nagy", "Kovács, Szabó és Társa Kft."], ["Kis", "X"]]),
    ("\t", [["a", "b"], ["1,5", "2;3"]]),
])
def test_delimiters_are_sniffed(delimiter, rows):
    text = csv_bytes(rows, delimiter=delimiter).decode()
    assert detect.sniff_delimiter(text) == delimiter


def test_inspection_reads_headers_and_a_sample(tmp_path):
    data = csv_bytes([["Vorname", "Nachname", ""], [], ["Éva", "Őri"], ["Ádám", "Űr"]], delimiter=";",
                     encoding="cp1250")
    found = inspect_file(_file(tmp_path, data), LIMIT)
    assert (found.file_format, found.encoding, found.encoding_guessed, found.delimiter) == ("csv", "cp1250", True, ";")
    assert found.headers == ["Vorname", "Nachname"]
    assert found.sample == [["Éva", "Őri"], ["Ádám", "Űr"]]


def test_inspection_refuses_tables_without_header_or_rows(tmp_path):
    assert _problem(lambda: inspect_file(_file(tmp_path, b"\n\nNagy\n"), LIMIT)) == "no_header"
    assert _problem(lambda: inspect_file(_file(tmp_path, b"Nachname,Vorname\n"), LIMIT)) == "no_rows"
    wide = ",".join(f"c{i}" for i in range(201)).encode() + b"\n" + b"x\n"
    assert _problem(lambda: inspect_file(_file(tmp_path, wide), LIMIT)) == "too_many_columns"


def test_xlsx_cells_become_text(tmp_path):
    from datetime import datetime

    data = xlsx_bytes([["Name", "Born", "Phone", "Score"], ["Nagy", datetime(1990, 5, 17), 36201234567, 1.5]])
    with open_source(_file(tmp_path, data), "xlsx") as source:
        rows = list(source.rows())
        assert source.fraction() == 1.0
    assert rows == [(1, ["Name", "Born", "Phone", "Score"]), (2, ["Nagy", "1990-05-17", "36201234567", "1.5"])]
    assert cell_text(None) == "" and cell_text(True) == "TRUE"


def test_a_damaged_csv_is_a_file_problem(tmp_path):
    path = _file(tmp_path, b'Name\n"' + b"x" * 200_000 + b"\n")
    with open_source(path, "csv", "utf-8", ",") as source, pytest.raises(FileProblem) as caught:
        list(source.rows())
    assert caught.value.code == "malformed_csv"
