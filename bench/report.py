"""Results of a run: machine facts, bench/results/<name>.json and the run's block of docs/BENCHMARKS.md."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from pathlib import Path

from bench.registry import Benchmark
from bench.server import PROJECT_ROOT

RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
DOCS_FILE = PROJECT_ROOT / "docs" / "BENCHMARKS.md"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def load_average() -> list[float] | None:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def cpu_pressure() -> dict[str, float]:
    """Linux PSI: % of the last 10 s / 60 s in which some runnable task waited for a CPU (contention)."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return {}
    fields = dict(part.split("=", 1) for part in first.split()[1:])
    return {key: float(fields[key]) for key in ("avg10", "avg60") if key in fields}


def busy_now() -> dict:
    return {"load_average": load_average(), "cpu_pressure": cpu_pressure()}


def machine() -> dict:
    return {"cpus": os.cpu_count(), "cpu_model": _cpu_model(), "memory_gib": _memory_gib(),
            "platform": platform.platform(), "python": platform.python_version()}


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10,
                             check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def git_revision() -> str:
    revision = _git("rev-parse", "--short", "HEAD")
    if revision is None:
        return "no commit yet"
    return revision + (" with uncommitted changes" if _git("status", "--porcelain") else "")


def write_json(results: dict, name: str) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _sizes_line(results: dict) -> str:
    s = results["sizes"]
    big = f" plus one big tenant of {s['big_tenant_contacts']:,}" if s["big_tenant_contacts"] else ""
    total = s["tenants"] * s["contacts_per_tenant"] + s["big_tenant_contacts"]
    return (f"{s['tenants']} tenants of {s['contacts_per_tenant']:,} contacts{big} "
            f"({total:,} contacts, about one company per 8 contacts), {s['leads']:,} leads, "
            f"{s['users_per_tenant']} users per tenant; seed {results['seed']}")


def _busy(busy: dict) -> str:
    load = "/".join(f"{v:.2f}" for v in busy["load_average"] or []) or "?"
    pressure = busy["cpu_pressure"].get("avg10")
    return f"load {load}, CPU pressure {'?' if pressure is None else f'{pressure:.0f} %'}"


def render_markdown(results: dict, benchmarks: dict[str, Benchmark]) -> str:
    m = results["machine"]
    started = results["started_at"][:16].replace("T", " ")
    lines = [f"### Run `{results['name']}` ({results['profile']} profile), {started} UTC", "",
             f"- Command: `{results['command']}`",
             f"- Machine: {m['cpus']} cores ({m['cpu_model']}), {m['memory_gib']} GiB RAM, {m['platform']}, "
             f"Python {m['python']}",
             f"- Busy: before: {_busy(results['busy_before'])}; after: {_busy(results['busy_after'])} "
             "(CPU pressure: share of the last 10 s in which some task waited for a core; "
             "after includes the run itself)",
             f"- Code: {results['git']}",
             f"- Data: {_sizes_line(results)}",
             f"- Back ends: {'; '.join(results['databases']) or 'none'}"]
    lines += [f"- Note: {note}" for note in results["notes"]]
    for name, result in results["benchmarks"].items():
        lines += ["", f"#### {name}: {benchmarks[name].summary}", "", *benchmarks[name].render(result)]
    return "\n".join(lines) + "\n"


def update_docs(block: str, name: str, path: Path = DOCS_FILE) -> None:
    """Replace the block between this run name's markers (append it when there are none)."""
    begin, end = f"<!-- bench-results:{name}:begin -->", f"<!-- bench-results:{name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    replacement = f"{begin}\n{block}{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + replacement + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + replacement + "\n"
    path.write_text(text, encoding="utf-8")
