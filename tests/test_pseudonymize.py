"""`flask db pseudonymize --out FILE`: every marked value replaced, consistently; the scan finds no original."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from tests.backup_fixtures import backup_keys, source_app  # noqa: F401 - fixtures
from webapp.extensions import db
from webapp.pii import pii_columns
from webapp.pseudonymize import services
from webapp.pseudonymize.replacer import Replacer


@pytest.fixture()
def source(source_app):  # noqa: F811 - fixture
    with source_app.app_context():
        yield source_app
        db.session.remove()


@pytest.fixture()
def copy(source, tmp_path):
    out = tmp_path / "copy.sqlite3"
    report = services.make_copy(out)
    assert report.hits == [] and report.replaced > 100
    return out


def _rows(path, sql):
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_the_copy_holds_none_of_the_original_values(source, copy):
    originals = services.original_values()
    assert len(originals) > 100
    raw = copy.read_bytes()
    for value in originals:
        if len(value) >= 6:  # every longer value, searched in the file's raw bytes (names, e-mails, phones)
            assert value.encode() not in raw, f"{value!r} is still in the copy"
    assert services.verify(copy) == []


def test_every_marked_column_is_replaced_and_rows_are_all_there(source, copy):
    count = _rows_from_source("SELECT count(*) FROM contacts")[0][0]
    assert count > 0
    assert _rows(copy, "SELECT count(*) FROM contacts")[0][0] == count
    for table, column, _kind in pii_columns(db.metadata):
        if table in ("contacts", "users", "leads"):
            before = {row[0] for row in _rows_from_source(f"SELECT {column} FROM {table}") if row[0]}
            after = {row[0] for row in _rows(copy, f"SELECT {column} FROM {table}") if row[0]}
            assert len(after) == len(before) and not before & after, f"{table}.{column}"


def test_replacements_keep_their_shape_and_are_consistent(source, copy):
    emails = [row[0] for row in _rows(copy, "SELECT email FROM users")]
    assert all(email.count("@") == 1 and email.endswith(".example") for email in emails)
    phones = [row[0] for row in _rows(copy, "SELECT phone FROM contacts WHERE phone IS NOT NULL")]
    assert phones and all(sum(char.isdigit() for char in phone) >= 7 for phone in phones)
    names = [row[0] for row in _rows(copy, "SELECT last_name FROM contacts")]
    assert all(name[:1].isupper() for name in names)
    # one original, one stand-in: contacts sharing a last name still share it in the copy
    original = _rows_from_source("SELECT last_name, count(*) FROM contacts GROUP BY last_name ORDER BY 2 DESC")
    copied = _rows(copy, "SELECT last_name, count(*) FROM contacts GROUP BY last_name ORDER BY 2 DESC")
    assert sorted(count for _name, count in original) == sorted(count for _name, count in copied)
    assert _rows(copy, "SELECT version_num FROM alembic_version")


def _rows_from_source(sql):
    with db.engine.connect() as connection:
        return connection.exec_driver_sql(sql).fetchall()


def test_the_scan_catches_a_leaked_original(source, copy):
    from webapp.accounts.models import User

    leaked = db.session.scalars(select(User.email).limit(1)).one()
    connection = sqlite3.connect(copy)
    connection.execute("UPDATE tenants SET name = ? WHERE id = (SELECT min(id) FROM tenants)", (f"see {leaked}",))
    connection.commit()
    connection.close()
    assert services.verify(copy) == ["tenants.name"]


def test_cli_writes_the_copy_and_refuses_to_overwrite(source, tmp_path):
    out = tmp_path / "cli-copy.sqlite3"
    runner = source.test_cli_runner()
    result = runner.invoke(args=["db", "pseudonymize", "--out", str(out)])
    assert result.exit_code == 0 and "scan found no original value" in result.output, result.output
    assert out.exists()
    result = runner.invoke(args=["db", "pseudonymize", "--out", str(out)])
    assert result.exit_code != 0 and "exists" in result.output


def test_replacer_maps_each_original_once_and_scrubs_free_text():
    replacer = Replacer()
    first = replacer.replace("email", "Anna.Kovacs@Example.hu")
    assert replacer.replace("email", "anna.kovacs@example.hu") == first
    name = replacer.replace("name", "Kovács Anna")
    assert name != "Kovács Anna" and len(name.split()) == 2
    assert replacer.replace("phone", "+36 30 123 4567").startswith("+36 ")
    scrubbed = replacer.scrub({"to": "Dear Kovács Anna, write to anna.kovacs@example.hu", "n": 3})
    assert "Kovács" not in scrubbed["to"] and first in scrubbed["to"] and scrubbed["n"] == 3
    assert replacer.replace("name", None) is None and replacer.replace("text", "  ") == "  "
