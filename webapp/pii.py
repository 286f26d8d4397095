"""Where personal data lives, declared once in the data model.

A column holding personal data is marked with ``info=pii("email")``. The pseudonymised copy, the
erasure search and the retention engine read these marks instead of keeping their own lists.
"""

from __future__ import annotations

PII_KINDS = ("name", "email", "phone", "address", "text", "identifier")


def pii(kind: str) -> dict[str, str]:
    """The ``info`` dict for a column holding personal data of the given kind."""
    if kind not in PII_KINDS:
        raise ValueError(f"unknown personal-data kind {kind!r}; use one of {PII_KINDS}")
    return {"pii": kind}


def pii_columns(metadata) -> list[tuple[str, str, str]]:
    """(table, column, kind) for every column marked as personal data."""
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            kind = column.info.get("pii")
            if kind:
                found.append((table.name, column.name, kind))
    return found
