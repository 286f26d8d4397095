"""import_speed: the import job on a 1,000,000-row CSV file against PostgreSQL's own COPY of it.

The file (seeded: accented names, e-mail addresses, phone numbers in several spellings, company
names, about 1 % bad rows) is imported into an empty tenant of a freshly migrated database
(``<scale database>_import``) by the real job function (``webapp.imports.pipeline.run``:
checking every row, staging, companies, contacts, audit rows, progress), in-process, in the
"valid rows" mode. Peak memory is the RSS high-water mark of a child process that runs only
the import. The baseline loads the same file with ``COPY ... FROM`` into a temporary table and
then ``INSERT ... SELECT`` into contacts, in the same run, and rolls that back.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

from bench.database import base_env, postgres_version, recreate_postgres
from bench.generate import Sizes, generate
from bench.registry import Context, register
from bench.scale import SCALE_DATABASE, skip_without_postgres

HEADERS = ["Vorname", "Nachname", "E-Mail", "Telefon", "Firma"]
FIRST = ["Anna", "Ádám", "Zsófia", "Bence", "Jakob", "Lena", "Ioana", "Matěj", "Réka", "Dóra", "Stefan", "Őrs"]
LAST = ["Nagy", "Kovács", "Tóth", "Szabó", "Müller", "Schmidt", "Popescu", "Novák", "Horváth", "Weiß", "Łukasz"]
SUFFIXES = ["Kft.", "GmbH", "Zrt.", "SRL"]
DOMAINS = ["gmail.example.com", "freemail.hu", "gmx.at", "posteo.de", "t-online.de", "citromail.hu"]


def _ascii(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if ch.isascii()).replace("ł", "l")


def _phone(rng: random.Random) -> str:
    n = rng.randrange(1_000_000, 9_999_999)
    return rng.choice([f"+36 30 {n}", f"06-20-{n}", f"+43 664 {n}", f"+49 151 {n}{rng.randrange(10)}",
                       f"(06 70) {str(n)[:3]} {str(n)[3:]}"])


def write_file(path: Path, rows: int, seed: int = 2026) -> int:
    """A seeded import file; returns how many rows are meant to be rejected."""
    rng = random.Random(seed)
    bad = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(HEADERS)
        companies = max(1, rows // 20)
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            local = f"{first}.{last}{i}".lower()
            if rng.random() < 0.98:  # most addresses are plain ASCII; some keep the accents (SMTPUTF8)
                local = _ascii(local)
            email = f"{local}@{rng.choice(DOMAINS)}"
            number = rng.randrange(companies)
            company = f"{LAST[number % len(LAST)]} {SUFFIXES[number % len(SUFFIXES)]} {number}"
            if rng.random() < 0.01:
                bad += 1
                email = email.replace("@", " at ")
            out.writerow([first, last, email, _phone(rng) if rng.random() < 0.8 else "", company])
    return bad


def _child(url: str, instance: str, path: str, settings: str) -> None:
    """Run in a subprocess: import ``path`` into the only tenant, print one JSON line."""
    import resource
    import shutil

    from webapp import create_app, tenancy
    from webapp.extensions import db
    from webapp.imports import files, pipeline
    from webapp.imports.models import ImportRecord
    from webapp.imports.sources import inspect_file

    env = {**base_env(INSTANCE_PATH=instance, DATABASE_URL=url, LOG_LEVEL="WARNING"), **json.loads(settings)}
    app = create_app(environ=env)
    with app.app_context():
        tenant_id, user_id = db.session.execute(db.text(
            "SELECT tenant_id, id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1")).one()
        db.session.rollback()
        with tenancy.scoped(tenant_id):
            stored = files.path_of(tenant_id, "benchimport")
            shutil.copyfile(path, stored)
            found = inspect_file(stored, 10 * Path(path).stat().st_size)
            record = ImportRecord(user_id=user_id, file_name="bench.csv", stored_name="benchimport",
                                  size_bytes=stored.stat().st_size, sha256="0" * 64, file_format=found.file_format,
                                  encoding=found.encoding, delimiter=found.delimiter,
                                  headers_json=json.dumps(found.headers),
                                  mapping_json=json.dumps(["first_name", "last_name", "email", "phone", "company"]),
                                  mode="valid_rows", status="queued", attempt=1)
            db.session.add(record)
            db.session.commit()
            import_id = record.id
        steps: list[tuple[float, int, str]] = []
        started = time.perf_counter()
        profile = None
        if os.environ.get("BENCH_PROFILE"):  # a cProfile of the job, for finding the slow part
            import cProfile

            profile = cProfile.Profile()
            profile.enable()
        outcome = pipeline.run(import_id, lambda percent, message: steps.append(
            (round(time.perf_counter() - started, 2), percent, message)))
        if profile is not None:
            profile.disable()
            profile.dump_stats(os.environ["BENCH_PROFILE"])
        seconds = time.perf_counter() - started
        with tenancy.scoped(tenant_id):
            audit_rows = db.session.execute(db.text(
                "SELECT count(*) FROM audit_log WHERE tenant_id = :t AND record_type = 'contact' "
                "AND action = 'create'"), {"t": tenant_id}).scalar()
            db.session.rollback()
    checked_at = next((s[0] for s in steps if s[2].startswith("save")), None)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"outcome": outcome, "seconds": round(seconds, 2), "check_seconds": checked_at,
                      "audit_rows": audit_rows, "peak_rss_mb": round(peak_mb, 1), "progress_reports": len(steps)}))


def copy_baseline(url: str, path: Path) -> dict:
    """COPY the same file into a temporary table, then INSERT ... SELECT into contacts; rolled back."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        tenant_id = conn.execute("SELECT id FROM tenants ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute("CREATE TEMP TABLE staged (first_name text, last_name text, email text, phone text, "
                     "company text) ON COMMIT DROP")
        started = time.perf_counter()
        with conn.cursor().copy("COPY staged FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';')") as copy, \
                open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        copied = time.perf_counter() - started
        conn.execute("INSERT INTO contacts (tenant_id, first_name, last_name, email, phone, created_at) "
                     "SELECT %s, first_name, last_name, email, nullif(phone, ''), now() FROM staged",
                     (tenant_id,))
        total = time.perf_counter() - started
        conn.rollback()
    return {"copy_seconds": round(copied, 2), "copy_insert_seconds": round(total, 2)}


@register("import_speed", "import job on a 1M-row CSV (check, stage, write, audit) vs PostgreSQL COPY of the file",
          render=lambda result: render(result))
def import_speed(ctx: Context) -> dict:
    if skipped := skip_without_postgres(ctx):
        return skipped
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db

    rows = ctx.scale_rows
    name = f"{ctx.pg_database or SCALE_DATABASE}_import"
    ctx.data_dir.mkdir(parents=True, exist_ok=True)
    path = ctx.data_dir / f"import-{rows}.csv"
    bad = write_file(path, rows, ctx.seed)
    url = recreate_postgres(ctx.pg_admin_url, name)
    instance = ctx.data_dir / "import-instance"
    instance.mkdir(parents=True, exist_ok=True)
    app = create_app(environ=base_env(INSTANCE_PATH=str(instance), DATABASE_URL=url, LOG_LEVEL="WARNING"))
    with app.app_context():
        upgrade(revision="heads")
        generate(db.engine, Sizes(tenants=1, contacts_per_tenant=0, leads=0, users_per_tenant=1), seed=ctx.seed)
        db.engine.dispose()
    ctx.log(f"import_speed: {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB), COPY baseline first")
    baseline = copy_baseline(url, path)
    settings = {"IMPORT_MAX_ROWS": str(rows + 1), "IMPORT_MAX_BYTES": str(path.stat().st_size + 1),
                "IMPORT_BATCH_SIZE": "5000"}
    ctx.log("import_speed: the import job (child process)")
    done = subprocess.run([sys.executable, "-c", "import sys; from bench.import_speed import _child; "
                           "_child(*sys.argv[1:])", url, str(instance), str(path), json.dumps(settings)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the import child failed: {done.stderr[-2000:]}")
    job = json.loads(done.stdout.strip().splitlines()[-1])
    return {"backends": [{"database": "PostgreSQL " + str(postgres_version(ctx.pg_admin_url))}],
            "database": name, "rows": rows, "file_mb": round(path.stat().st_size / 1e6, 1), "bad_rows": bad,
            "settings": settings, "job": job, "baseline": baseline,
            "rows_per_s": round(rows / job["seconds"]),
            "vs_copy": round(job["seconds"] / baseline["copy_seconds"], 1),
            "vs_copy_insert": round(job["seconds"] / baseline["copy_insert_seconds"], 1), "errors": 0}


def render(result: dict) -> list[str]:
    if result.get("skipped"):
        return [result["skipped"]]
    job, base = result["job"], result["baseline"]
    return [f"File: {result['rows']:,} rows, {result['file_mb']} MB CSV (`;`), {result['bad_rows']:,} bad rows; "
            f"imported in \"valid rows\" mode into an empty tenant of `{result['database']}` by the import job "
            f"in-process (settings {result['settings']}). Outcome: {job['outcome']}; audit rows written: "
            f"{job['audit_rows']:,}.", "",
            "| what | seconds | rows/s | vs COPY | peak RSS MB |", "|---|---:|---:|---:|---:|",
            f"| import job (check + write + audit) | {job['seconds']:.1f} | {result['rows_per_s']:,} "
            f"| {result['vs_copy']:.1f}× | {job['peak_rss_mb']:.0f} |",
            f"| … of which checking (first pass) | {job['check_seconds'] or 0:.1f} | | | |",
            f"| PostgreSQL `COPY` of the file into a temp table | {base['copy_seconds']:.1f} "
            f"| {result['rows'] / base['copy_seconds']:,.0f} | 1× | |",
            f"| `COPY` + `INSERT … SELECT` into contacts | {base['copy_insert_seconds']:.1f} "
            f"| {result['rows'] / base['copy_insert_seconds']:,.0f} | | |"]
