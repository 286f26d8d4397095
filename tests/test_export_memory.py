"""Memory stays bounded: 50,000 contacts exported with a small, fixed peak of traced memory.

tracemalloc slows openpyxl about tenfold, so the XLSX case takes a minute or so."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from tests.test_exports import admin, export_dir, record_of, start_export  # noqa: F401 - fixtures
from webapp import tenancy
from webapp.crm.models import Company, Contact

ROWS = 50_000
# Measured: about 7 MiB for either format. Holding every row at once would need far more: the 50,000
# rows as plain tuples take about 24 MiB, plus about 100 MiB for openpyxl's cells in its normal mode.
PEAK_LIMITS = {"xlsx": 60 * 2**20, "csv": 20 * 2**20}


def _insert_contacts(db_session, tenant_id: int) -> None:
    """Set-based inserts (executemany), in chunks, as the tenant."""
    now = datetime.now(UTC)
    with tenancy.scoped(tenant_id):
        company_id = db_session.scalar(insert(Company).returning(Company.id),
                                       [{"tenant_id": tenant_id, "name": "Nagy és Fia Kft.", "created_at": now}])
        for start in range(0, ROWS, 10_000):
            db_session.execute(insert(Contact), [
                {"tenant_id": tenant_id, "first_name": f"Éva{n}", "last_name": f"Kovács-Szabó {n}",
                 "email": f"eva.kovacs{n}@example.com", "phone": f"+3620{n:07d}",
                 "company_id": company_id if n % 3 else None, "created_at": now}
                for n in range(start, min(start + 10_000, ROWS))])


def _peak_of_one_job(run_jobs) -> int:
    tracemalloc.start()
    try:
        assert run_jobs() == 1
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_exporting_50000_contacts_keeps_memory_bounded(db_session, admin, client, csrf, login, run_jobs,  # noqa: F811
                                                       export_dir):  # noqa: F811
    _insert_contacts(db_session, admin.tenant_id)  # once for both formats: audited inserts take a while
    db_session.commit()
    login(admin)
    for fmt in ("xlsx", "csv"):
        export_id = start_export(client, csrf, format=fmt)
        peak = _peak_of_one_job(run_jobs)
        record = record_of(db_session, export_id)
        assert record.row_count == ROWS
        size = (export_dir / record.file_path).stat().st_size
        assert peak < PEAK_LIMITS[fmt], f"peak {peak / 2**20:.1f} MiB for a {size / 2**20:.1f} MiB {fmt} file"
