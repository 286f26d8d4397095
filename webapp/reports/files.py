"""Writing the files: the access report as JSON, XML or a printable HTML page; the portability file as
CSV, XLSX (one sheet per section) or XML (valid against ``portability.xsd``).

CSV layout (documented for readers): one file, UTF-8 with a byte order mark, every field quoted, the
columns ``section, record, field, value`` — one line per value, ``record`` counting from 1 within its
section. Text that a spreadsheet would run as a formula gets a leading apostrophe as in the CRM exports
(a valid international phone number is left as it is). XLSX cells are always text cells, so their
values stay exactly as given (a leading formula character only sets Excel's quote-prefix flag)."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from flask import current_app, render_template, url_for
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from webapp.exports.cells import FORMULA_TRIGGERS, is_phone_number, neutralise, xml_safe
from webapp.exports.writers import file_sha256
from webapp.reports.content import Section, plain

ACCESS_NAMESPACE = "urn:bizalom:access-report:1"
PORTABILITY_NAMESPACE = "urn:bizalom:portability:1"
SCHEMA = Path(__file__).with_name("portability.xsd")


def _text(value) -> str | None:
    text = plain(value)
    return None if text is None else xml_safe(text)


# --- access report -------------------------------------------------------------------------------

def write_access(path: Path, fmt: str, content: dict, locale: str = "en") -> str:
    if fmt == "json":
        path.write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")
    elif fmt == "xml":
        _write_xml(path, _access_tree(content))
    else:
        with current_app.test_request_context():  # url_for without a web request
            stylesheet = url_for("static", filename="css/app.css")
            html = render_template("reports/access.html", content=content, stylesheet=stylesheet,
                                   lang=locale)
        path.write_text(html, encoding="utf-8")
    return file_sha256(path)


def _access_tree(content: dict) -> ET.Element:
    root = ET.Element("access-report", {"xmlns": ACCESS_NAMESPACE, "email": content["email"],
                                        "generated-at": content["generated_at"]})
    for item in content["items"]:
        element = ET.SubElement(root, "item", {"category": item["category"] or ""})
        ET.SubElement(element, "title").text = xml_safe(item["title"])
        for entry in item["fields"]:
            ET.SubElement(element, "field", {"label": xml_safe(entry["label"])}).text = _text(entry["value"])
        if item["explanation"]:
            explanation = item["explanation"]
            node = ET.SubElement(element, "explanation")
            ET.SubElement(node, "purpose").text = xml_safe(explanation["purpose"])
            ET.SubElement(node, "legal-basis", {"article": explanation["legal_basis_article"]}
                          ).text = explanation["legal_basis"]
            ET.SubElement(node, "retention", {"unit": str(explanation["retention"]["unit"] or "")}
                          ).text = _text(explanation["retention"]["period"])
            for recipient in explanation["recipients"]:
                ET.SubElement(node, "recipient").text = xml_safe(recipient)
            for transfer in explanation["transfers"]:
                ET.SubElement(node, "transfer").text = xml_safe(transfer)
        if item["kept_until"]:
            ET.SubElement(element, "kept-until").text = item["kept_until"]
    for made in content["requests"]:
        ET.SubElement(root, "request", {key: value for key, value in made.items() if value is not None})
    return root


def _write_xml(path: Path, root: ET.Element) -> None:
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


# --- portability ---------------------------------------------------------------------------------

def write_portability(path: Path, fmt: str, email: str, generated_at: str, sections: list[Section]) -> str:
    {"csv": _portability_csv, "xlsx": _portability_xlsx, "xml": _portability_xml}[fmt](
        path, email, generated_at, sections)
    return file_sha256(path)


def _values(section: Section):
    for number, row in enumerate(section.rows, start=1):
        yield number, [(name, plain(value)) for name, value in zip(section.columns, row, strict=True)]


def _portability_csv(path: Path, _email: str, _generated_at: str, sections: list[Section]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(("section", "record", "field", "value"))
        for section in sections:
            for number, values in _values(section):
                writer.writerows((section.name, number, name, _csv_text(value))
                                 for name, value in values if value is not None)


def _csv_text(value: str) -> str:
    """Neutralised like the CRM exports, except a phone number in its harmless international shape."""
    return value if is_phone_number(value) else neutralise(value)


def _portability_xlsx(path: Path, _email: str, _generated_at: str, sections: list[Section]) -> None:
    book = Workbook(write_only=True)
    for section in sections:
        sheet = book.create_sheet(section.name)
        sheet.append(list(section.columns))
        for _number, values in _values(section):
            sheet.append([_string_cell(sheet, value) for _name, value in values])
    book.save(path)


def _string_cell(sheet, value: str | None):
    if value is None:
        return None
    text = xml_safe(value)
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"  # always text: never a formula, a number guess or an error value
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True  # Excel's "this is text" flag: the value stays exactly as given
    return cell


def _portability_xml(path: Path, email: str, generated_at: str, sections: list[Section]) -> None:
    root = ET.Element("portability", {"xmlns": PORTABILITY_NAMESPACE, "email": email, "generated-at": generated_at})
    for section in sections:
        node = ET.SubElement(root, "section", {"name": section.name})
        for number, values in _values(section):
            record = ET.SubElement(node, "record", {"number": str(number)})
            for name, value in values:
                if value is not None:
                    ET.SubElement(record, "field", {"name": name}).text = xml_safe(value)
    _write_xml(path, root)
