"""Second pass of an import: insert the staged rows, set-based, in batches, in the caller's transaction.

Companies named in the file are matched by name (ignoring case and spacing) among the tenant's
live companies; missing ones are created first. The caller commits once at the end, so a failure
anywhere leaves nothing behind.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

from sqlalchemy import select

from webapp import clock, tenancy
from webapp.crm.models import Company
from webapp.customfields import imports as custom_fields
from webapp.extensions import db
from webapp.imports import bulk, files, settings
from webapp.imports.checking import CHECK_SHARE, STAGED_FIELDS, Checked, company_key
from webapp.imports.models import ImportRecord

COMPANY_BATCH = 5000


def resolve_companies(names: dict[str, str]) -> dict[str, int]:
    """Company key -> id, creating the companies that do not exist yet (set-based, stamped, audited)."""
    if not names:
        return {}
    ids: dict[str, int] = {}
    live = db.session.execute(select(Company.id, Company.name).where(Company.deleted_at.is_(None)).order_by(Company.id))
    for company_id, name in live:
        ids.setdefault(company_key(name), company_id)
    missing = [name for key, name in names.items() if key not in ids]
    tenant_id, now = tenancy.current_tenant_id(), clock.now()
    for start in range(0, len(missing), COMPANY_BATCH):  # set-based, audited (webapp.imports.bulk)
        chunk = missing[start:start + COMPANY_BATCH]
        created = bulk.insert_companies([{"tenant_id": tenant_id, "name": name, "created_at": now} for name in chunk])
        ids.update({company_key(name): company_id for name, company_id in zip(chunk, created, strict=True)})
    return ids


def _contact(tenant_id: int, row: list[str], company_ids: dict[str, int], now) -> dict:
    values = dict(zip(STAGED_FIELDS, row[:len(STAGED_FIELDS)], strict=True))  # then the custom fields' cell
    company = values.pop("company")
    return {"tenant_id": tenant_id, "first_name": values["first_name"], "last_name": values["last_name"],
            "email": values["email"] or None, "phone": values["phone"] or None,
            "company_id": company_ids[company_key(company)] if company else None, "created_at": now,
            custom_fields.STAGED_KEY: row[len(STAGED_FIELDS)] if len(row) > len(STAGED_FIELDS) else ""}


def write_rows(record: ImportRecord, checked: Checked, progress: Callable[[int, str], None]) -> int:
    """Insert every staged row; returns how many were written."""
    company_ids = resolve_companies(checked.companies)
    size, total, written, now = settings.whole("IMPORT_BATCH_SIZE"), checked.valid, 0, clock.now()
    staged = files.path_of(record.tenant_id, record.stored_name, ".staged")
    batch: list[dict] = []
    with open(staged, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            batch.append(_contact(record.tenant_id, row, company_ids, now))
            if len(batch) == size:
                written += _insert(batch)
                batch = []
                progress(CHECK_SHARE + (100 - CHECK_SHARE) * written // max(total, 1), f"save:{written}:{total}")
    if batch:
        written += _insert(batch)
    return written


def _insert(batch: list[dict]) -> int:
    custom = [row.pop(custom_fields.STAGED_KEY, "") for row in batch]  # the custom fields' staged cells
    ids = bulk.insert_contacts(batch)  # set-based, with the audit rows (webapp.imports.bulk)
    if any(custom):  # the new ids, in the batch's order, for the custom field values
        custom_fields.write_values(ids, list(custom))
    return len(ids)
