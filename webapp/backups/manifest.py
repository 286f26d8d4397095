"""The manifest of a backup: migration head, and per table its row count and a checksum.

The checksum is SHA-256 over the table's rows in primary-key order, each row written as canonical
JSON of its values as the database driver returns them. Computed on the source at dump time (from
the very snapshot that is dumped) and again on the restored copy, the two must be equal.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

VERSION_TABLE = "alembic_version"


def _plain(value):
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def table_digest(connection: Connection, table: str, order_by: list[str]) -> tuple[int, str]:
    quoted = _quote(connection, table)
    order = ", ".join(_quote(connection, column) for column in order_by) or "1"
    digest, count = hashlib.sha256(), 0
    result = connection.exec_driver_sql(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608 - names quoted
    for row in result:
        digest.update(json.dumps([_plain(value) for value in row], default=str).encode() + b"\n")
        count += 1
    return count, digest.hexdigest()


def heads(connection: Connection) -> list[str]:
    if not inspect(connection).has_table(VERSION_TABLE):
        return []
    return sorted(row[0] for row in connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}"))


def build(connection: Connection) -> dict:
    """The manifest of the database behind ``connection`` (call it inside one snapshot)."""
    inspector = inspect(connection)
    tables = {}
    for name in sorted(inspector.get_table_names()):
        if name.startswith("sqlite_"):
            continue
        key = inspector.get_pk_constraint(name).get("constrained_columns") or []
        columns = key or [column["name"] for column in inspector.get_columns(name)]
        count, checksum = table_digest(connection, name, columns)
        tables[name] = {"rows": count, "sha256": checksum}
    return {"format": 1, "dialect": connection.dialect.name, "heads": heads(connection), "tables": tables}


def compare(expected: dict, actual: dict) -> list[str]:
    """Every difference between two manifests, as readable lines (empty: equal)."""
    problems = []
    if expected.get("heads") != actual.get("heads"):
        problems.append(f"migration head differs: backup {expected.get('heads')} restored {actual.get('heads')}")
    want, got = expected.get("tables", {}), actual.get("tables", {})
    for name in sorted(set(want) | set(got)):
        if name not in got:
            problems.append(f"table {name} is missing from the restored copy")
        elif name not in want:
            problems.append(f"table {name} is not in the backup's manifest")
        elif want[name]["rows"] != got[name]["rows"]:
            problems.append(f"table {name}: {want[name]['rows']} rows in the manifest, {got[name]['rows']} restored")
        elif want[name]["sha256"] != got[name]["sha256"]:
            problems.append(f"table {name}: checksum differs")
    return problems
