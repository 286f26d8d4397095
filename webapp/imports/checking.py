"""First pass of an import: read every row, check it, stage the valid ones, report the others.

Nothing is written to the database here: valid rows go, normalised, to ``<stored>.staged``,
problems to ``<stored>.report``. The second pass (``writing``) inserts the staged rows.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from webapp.crm.models import Contact
from webapp.customfields import imports as custom_fields
from webapp.extensions import db
from webapp.imports import files, settings
from webapp.imports.checks import RowResult, check_row
from webapp.imports.mapping import plan_of
from webapp.imports.models import ImportRecord
from webapp.imports.problems import FileProblem
from webapp.imports.report import ReportWriter
from webapp.imports.sources import is_blank, open_source

STAGED_FIELDS = ("first_name", "last_name", "email", "phone", "company")
CHECK_SHARE = 50  # percent of the progress bar for this pass


def company_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class Checked:
    read: int = 0
    valid: int = 0
    rejected: int = 0
    companies: dict[str, str] = field(default_factory=dict)  # company key -> name as first written


class EmailRegister:
    """Duplicate e-mail addresses within the file (the later rows lose), and optionally in the tenant."""

    def __init__(self, column: int | None, existing: set[str]):
        self.column, self.existing, self.first_row = column, existing, {}

    def check(self, result: RowResult, cells: list[str], number: int) -> None:
        email = result.values.get("email")
        if self.column is None or not email:
            return
        key, raw = email.casefold(), cells[self.column]
        if key in self.first_row:
            result.problems.append((self.column, raw, "duplicate_email", {"row": self.first_row[key]}))
        elif key in self.existing:
            result.problems.append((self.column, raw, "email_exists", {}))
        else:
            self.first_row[key] = number


def existing_emails() -> set[str]:
    """E-mail addresses of the tenant's live contacts (tenant-scoped like every query)."""
    rows = db.session.scalars(select(Contact.email).where(Contact.deleted_at.is_(None), Contact.email.is_not(None)))
    return {email.casefold() for email in rows}


def check_file(record: ImportRecord, progress: Callable[[int, str], None]) -> Checked:
    path = files.path_of(record.tenant_id, record.stored_name)
    if not path.exists():
        raise FileProblem("file_missing")
    staged_path = files.path_of(record.tenant_id, record.stored_name, ".staged")
    report_path = files.path_of(record.tenant_id, record.stored_name, ".report")
    for old in (staged_path, report_path):  # an earlier, rejected run of the same upload
        old.unlink(missing_ok=True)
    plan = plan_of(record.mapping or [])
    unique = settings.flag("IMPORT_UNIQUE_EMAIL") and "email" in plan
    emails = EmailRegister(plan.get("email"), existing_emails() if unique else set())
    with (open_source(path, record.file_format, record.encoding, record.delimiter) as source,
          ReportWriter(report_path) as report, files.create_exclusive(staged_path, "w") as staged):
        return _check_rows(record, source, plan, emails, report, csv.writer(staged), progress)


def _check_rows(record, source, plan, emails, report, staged, progress) -> Checked:
    checked, width = Checked(), len(record.headers)
    max_rows, every = settings.whole("IMPORT_MAX_ROWS"), settings.whole("IMPORT_BATCH_SIZE")
    rows = source.rows()
    next(rows, None)  # the header row
    for number, cells in rows:
        if is_blank(cells):
            continue
        checked.read += 1
        if checked.read > max_rows:
            raise FileProblem("too_many_rows", max=max_rows)
        result = check_row(cells, plan, width, record.file_format)
        if result.ok:
            emails.check(result, cells, number)
        if result.ok:
            _stage(checked, staged, result.values)
        else:
            checked.rejected += 1
            report.add(number, result.problems)
        if checked.read % every == 0:
            progress(int(source.fraction() * CHECK_SHARE), f"check:{checked.read}")
    return checked


def _stage(checked: Checked, staged, values: dict) -> None:
    checked.valid += 1
    staged.writerow(["" if values.get(key) is None else values[key] for key in STAGED_FIELDS]
                    + [custom_fields.staged_cell(values)])
    company = values.get("company")
    if company:
        checked.companies.setdefault(company_key(company), company)
