"""The pseudonymised copy: a new SQLite file with every personal-data value replaced.

Columns marked ``info=pii(kind)`` get consistent random stand-ins (``replacer``). Every other
text or JSON value is scrubbed of any original found in it (the audit trail's before/after
values, e-mail bodies, security-log details). ``verify`` then reads the originals from the
source again and scans every text value of the copy; one hit fails the copy.

The copy is built from the model's metadata (SQLite schema, tables in dependency order) and
stamped with the source's migration head, so it works from SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import JSON, String, Table, Text, create_engine, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from webapp.backups import manifest
from webapp.extensions import db
from webapp.pii import pii_columns
from webapp.pseudonymize.replacer import Replacer, originals_pattern

BATCH = 1000


class CopyError(RuntimeError):
    """The copy could not be made, or the scan found an original value in it."""


@dataclass
class CopyReport:
    tables: int = 0
    rows: int = 0
    replaced: int = 0
    hits: list[str] = field(default_factory=list)


def _pii_by_table() -> dict[str, dict[str, str]]:
    marked: dict[str, dict[str, str]] = {}
    for table, column, kind in pii_columns(db.metadata):
        marked.setdefault(table, {})[column] = kind
    return marked


def _texty(column) -> bool:
    return isinstance(column.type, String | Text | JSON) or isinstance(getattr(column.type, "impl", None), String)


def _present_tables(source: Connection) -> list[Table]:
    from sqlalchemy import inspect

    existing = set(inspect(source).get_table_names())
    return [table for table in db.metadata.sorted_tables if table.name in existing]


def _collect(source: Connection, replacer: Replacer, marked: dict[str, dict[str, str]]) -> None:
    for table in _present_tables(source):
        columns = marked.get(table.name, {})
        if not columns:
            continue
        for row in source.execute(select(*(table.c[name] for name in columns))).yield_per(BATCH):
            for name, value in zip(columns, row, strict=True):
                replacer.replace(columns[name], value)


def _copy_table(source: Connection, target: Connection, table: Table, replacer: Replacer,
                columns: dict[str, str]) -> int:
    texty = [column.name for column in table.columns if _texty(column) and column.name not in columns]
    count, batch = 0, []
    for row in source.execute(select(table)).mappings().yield_per(BATCH):
        values = dict(row)
        for name, kind in columns.items():
            values[name] = replacer.replace(kind, values[name])
        for name in texty:
            values[name] = replacer.scrub(values[name])
        batch.append(values)
        if len(batch) >= BATCH:
            target.execute(insert(table), batch)
            count, batch = count + len(batch), []
    if batch:
        target.execute(insert(table), batch)
        count += len(batch)
    return count


def make_copy(out: Path) -> CopyReport:
    """Write the pseudonymised copy to ``out`` (a new SQLite file) and verify it."""
    if out.exists():
        raise CopyError(f"{out} exists; the copy is always written to a new file")
    marked, replacer, report = _pii_by_table(), Replacer(), CopyReport()
    engine = create_engine(f"sqlite:///{out}", poolclass=NullPool)
    try:
        with db.engine.connect() as source, source.begin():
            _collect(source, replacer, marked)
            db.metadata.create_all(engine)
            with engine.begin() as target:
                for table in _present_tables(source):
                    report.rows += _copy_table(source, target, table, replacer, marked.get(table.name, {}))
                    report.tables += 1
                _stamp(target, manifest.heads(source))
        report.replaced = len(replacer.mapping)
        report.hits = verify(out)
    except Exception:
        engine.dispose()
        out.unlink(missing_ok=True)
        raise
    engine.dispose()
    if report.hits:
        out.unlink(missing_ok=True)
        raise CopyError(f"the scan found {len(report.hits)} original value(s), the copy was deleted: "
                        + "; ".join(report.hits[:5]))
    return report


def _stamp(target: Connection, heads: list[str]) -> None:
    target.exec_driver_sql("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    for head in heads:
        target.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (head,))


def original_values() -> set[str]:
    """Every personal-data value of the source database, read afresh."""
    values: set[str] = set()
    with db.engine.connect() as source:
        for table, columns in _pii_by_table().items():
            if table not in {present.name for present in _present_tables(source)}:
                continue
            model = db.metadata.tables[table]
            for row in source.execute(select(*(model.c[name] for name in columns))).yield_per(BATCH):
                values.update(value for value in row if isinstance(value, str) and value.strip())
    return values


def verify(copy: Path) -> list[str]:
    """Places in the copy where an original value still appears (empty: the copy is clean)."""
    originals = original_values()
    exact = {value.strip().lower() for value in originals}
    pattern = originals_pattern(originals)
    hits = []
    engine = create_engine(f"sqlite:///{copy}", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            for table in manifest_tables(connection):
                hits.extend(_scan_table(connection, table, exact, pattern))
    finally:
        engine.dispose()
    return hits


def manifest_tables(connection: Connection) -> list[str]:
    from sqlalchemy import inspect

    return sorted(name for name in inspect(connection).get_table_names() if not name.startswith("sqlite_"))


def _decoded(value: str) -> str:
    """JSON text is scanned as decoded text too (it may hold escaped non-ASCII originals)."""
    if value[:1] in "{[":
        try:
            return value + "\n" + json.dumps(json.loads(value), ensure_ascii=False)
        except ValueError:
            return value
    return value


def _scan_table(connection: Connection, table: str, exact: set[str], pattern) -> list[str]:
    hits = []
    quoted = connection.dialect.identifier_preparer.quote(table)
    result = connection.exec_driver_sql(f"SELECT * FROM {quoted}")  # noqa: S608 - quoted name
    names = list(result.keys())
    for row in result:
        for name, value in zip(names, row, strict=True):
            if not isinstance(value, str) or not value.strip():
                continue
            value = _decoded(value)
            if value.strip().lower() in exact or (pattern is not None and pattern.search(value)):
                hits.append(f"{table}.{name}")
    return sorted(set(hits))
