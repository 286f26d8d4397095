"""Report jobs, the work side: gather the content, write the file, record its hash and an event."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale

from webapp import clock
from webapp.reports import files, services
from webapp.reports.content import access_content, plain, portability_sections

Progress = Callable[[int, str | None], None]


def build(report_id: int, kind: str, locale: str, progress: Progress) -> str:
    """Write the file in the language the person (or officer) used when asking for it."""
    with force_locale(locale if locale in current_app.config["LANGUAGES"] else "en"):
        return _build(report_id, kind, locale, progress)


def _build(report_id: int, kind: str, locale: str, progress: Progress) -> str:
    report = services.get(report_id)
    if report is None or report.kind != kind:
        return "no such report"
    if report.sha256 is not None:
        return "already built"
    path = services.file_of(report)
    path.parent.mkdir(parents=True, exist_ok=True)
    progress(10, None)
    try:
        if kind == "access":
            content = access_content(report.email)
            progress(60, None)
            digest = files.write_access(path, report.format, content, locale)
        else:
            sections = portability_sections(report.email)
            progress(60, None)
            digest = files.write_portability(path, report.format, report.email, plain(clock.now()), sections)
    except Exception:
        path.unlink(missing_ok=True)  # nothing partly written stays behind
        raise
    progress(95, None)
    services.record_built(report, digest)
    return f"{kind} report {report.id} built"
