"""The registry of benchmarks and the profiles (quick, full) they run under.

A benchmark is a function ``(Context) -> dict`` (JSON-ready) registered with
``@register(name, summary, render=...)`` in a module listed in ``MODULES``;
``render`` turns its result into Markdown lines for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.generate import Sizes

# Add a module here to add its benchmarks; ``python -m bench.run NAME`` selects one.
MODULES = ("bench.page_load", "bench.list_search", "bench.import_speed", "bench.export_speed",
           "bench.sms_dispatch", "bench.retention",
           "bench.analytics")


@dataclass(frozen=True)
class Profile:
    """Data size and load settings of a run."""

    name: str
    sizes: Sizes
    duration_s: float
    warmup_s: float
    max_requests: int
    concurrency: int


PROFILES = {
    "quick": Profile("quick", Sizes(tenants=3, contacts_per_tenant=1_000, big_tenant_contacts=10_000,
                                    leads=500),
                     duration_s=4.0, warmup_s=1.0, max_requests=20_000, concurrency=4),
    "full": Profile("full", Sizes(tenants=10, contacts_per_tenant=5_000, big_tenant_contacts=100_000,
                                  leads=20_000),
                    duration_s=20.0, warmup_s=3.0, max_requests=200_000, concurrency=4),
}
# The scale benchmarks (list_search, import_speed, export_speed) use their own sizes: the issue's
# 1,000,000 contacts in one tenant plus 10 tenants of 100,000 (quick: a tenth of it).
SCALE_SIZES = {
    "quick": Sizes(tenants=10, contacts_per_tenant=10_000, big_tenant_contacts=100_000, leads=500),
    "full": Sizes(tenants=10, contacts_per_tenant=100_000, big_tenant_contacts=1_000_000, leads=1_000),
}
SCALE_ROWS = {"quick": 100_000, "full": 1_000_000}  # rows of the import file and of the export


@dataclass
class Context:
    """What a benchmark gets: the profile, the database back ends to use and where to put files."""

    profile: Profile
    backends: list[str]
    run_name: str
    data_dir: Path
    pg_admin_url: str
    redis: str = "embedded"
    seed: int = 2026
    notes: list[str] = field(default_factory=list)
    pg_database: str | None = None  # the scale benchmarks' database (default bench.scale.SCALE_DATABASE)
    reuse_data: bool = False  # keep a scale database that already holds data

    @property
    def scale_sizes(self) -> Sizes:
        return SCALE_SIZES[self.profile.name]

    @property
    def scale_rows(self) -> int:
        return SCALE_ROWS[self.profile.name]

    def log(self, message: str) -> None:
        print(f"[bench] {message}", flush=True)


@dataclass(frozen=True)
class Benchmark:
    name: str
    summary: str
    func: Callable[[Context], dict]
    render: Callable[[dict], list[str]]


BENCHMARKS: dict[str, Benchmark] = {}


def register(name: str, summary: str, render: Callable[[dict], list[str]]):
    """Decorator: add ``func`` to the registry under ``name``."""

    def decorate(func: Callable[[Context], dict]) -> Callable[[Context], dict]:
        if name in BENCHMARKS:
            raise ValueError(f"benchmark {name!r} registered twice")
        BENCHMARKS[name] = Benchmark(name, summary, func, render)
        return func

    return decorate


def load_all() -> dict[str, Benchmark]:
    for module in MODULES:
        importlib.import_module(module)
    return BENCHMARKS
