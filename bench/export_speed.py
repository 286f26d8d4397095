"""export_speed: exporting the 1,000,000 contacts of the big tenant, CSV and XLSX, vs COPY TO.

Each export runs the real writer over the real keyset batches (``webapp.exports.producer``) in
a child process of its own, inside the tenant's scope (trashed contacts included, so all of
the tenant's contacts go out); its peak memory is that process's RSS high-water mark
(``getrusage``). The baseline is PostgreSQL writing the same columns with
``COPY (SELECT ...) TO STDOUT (FORMAT csv)`` into a file, in the same run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from bench.database import postgres_version
from bench.registry import Context, register
from bench.scale import scale_data, skip_without_postgres

MEMORY_LIMIT_MB = 200


def _child(url: str, instance: str, tenant_id: str, file_format: str) -> None:
    """Run in a subprocess: write one export of the tenant's contacts, print one JSON line."""
    import resource

    from webapp import create_app, tenancy
    from webapp.exports import producer
    from webapp.exports.models import ExportRecord
    from webapp.extensions import db

    app = create_app(environ={"DATABASE_URL": url, "INSTANCE_PATH": instance, "LOG_LEVEL": "WARNING"})
    with app.app_context(), tenancy.scoped(int(tenant_id)):
        record = ExportRecord(tenant_id=int(tenant_id), entity="contacts", format=file_format,
                              filters={"include_trashed": True}, file_path=f"bench/contacts.{file_format}")
        started = time.perf_counter()
        rows, _digest = producer._write_file(record, lambda _percent, _message: None)
        seconds = time.perf_counter() - started
        db.session.rollback()
        size = producer.services.file_of(record).stat().st_size
        producer.services.file_of(record).unlink()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1),
                      "file_mb": round(size / 1e6, 1)}))


def copy_to(url: str, tenant_id: int, path) -> dict:
    import psycopg

    query = ("COPY (SELECT c.id, c.first_name, c.last_name, c.email, c.phone, co.name, c.created_at "
             f"FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.tenant_id = {int(tenant_id)} "
             "ORDER BY c.id) TO STDOUT (FORMAT csv, HEADER true)")
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        started = time.perf_counter()
        with conn.cursor().copy(query) as copy, open(path, "wb") as out:
            for chunk in copy:
                out.write(chunk)
        seconds = time.perf_counter() - started
    size = path.stat().st_size
    path.unlink()
    return {"seconds": round(seconds, 2), "file_mb": round(size / 1e6, 1)}


def _run_child(data, tenant_id: int, file_format: str) -> dict:
    done = subprocess.run([sys.executable, "-c", "import sys; from bench.export_speed import _child; "
                           "_child(*sys.argv[1:])", data.url, data.env["INSTANCE_PATH"], str(tenant_id),
                           file_format], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {file_format} export child failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@register("export_speed", "export of 1M contacts: CSV vs COPY TO, XLSX peak memory (PostgreSQL)",
          render=lambda result: render(result))
def export_speed(ctx: Context) -> dict:
    if skipped := skip_without_postgres(ctx):
        return skipped
    data = scale_data(ctx)
    ctx.log("export_speed: COPY TO baseline")
    baseline = copy_to(data.url, data.big_tenant, ctx.data_dir / "copy-to.csv")
    result = {"backends": [{"database": "PostgreSQL " + str(postgres_version(ctx.pg_admin_url))}],
            "database": data.url.rsplit("/", 1)[-1], "tenant_contacts": data.contacts, "copy_to": baseline,
              "formats": {}, "errors": 0}
    for file_format in ("csv", "xlsx"):
        ctx.log(f"export_speed: {file_format}")
        found = _run_child(data, data.big_tenant, file_format)
        found["vs_copy"] = round(found["seconds"] / baseline["seconds"], 1)
        result["formats"][file_format] = found
    return result


def render(result: dict) -> list[str]:
    if result.get("skipped"):
        return [result["skipped"]]
    base = result["copy_to"]
    lines = [f"The {result['tenant_contacts']:,} contacts of the big tenant in `{result['database']}` (trashed "
             "ones included), columns id, names, e-mail, phone, company name, created. Each export runs in a "
             f"child process of its own; peak RSS is its high-water mark (goal for XLSX: < {MEMORY_LIMIT_MB} MB).",
             "", "| what | rows | seconds | rows/s | vs COPY TO | file MB | peak RSS MB |",
             "|---|---:|---:|---:|---:|---:|---:|",
             f"| PostgreSQL `COPY (SELECT …) TO STDOUT` (CSV) | {result['tenant_contacts']:,} | {base['seconds']:.1f} "
             f"| {result['tenant_contacts'] / base['seconds']:,.0f} | 1× | {base['file_mb']} | |"]
    for name, found in result["formats"].items():
        lines.append(f"| export job, {name.upper()} | {found['rows']:,} | {found['seconds']:.1f} "
                     f"| {found['rows'] / found['seconds']:,.0f} | {found['vs_copy']:.1f}× | {found['file_mb']} "
                     f"| {found['peak_rss_mb']:.0f} |")
    return lines
