"""No IP address anywhere, and hostile input never stored: the no-IP scan, the schema check, and
hypothesis over the cleaning functions and the collector."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, String, Text, inspect, text

from tests.analytics_support import CHROME, clean_buffer, grant, stored_views  # noqa: F401
from webapp.analytics import clean, collector, limiter
from webapp.analytics.models import HOST_MAX, PATH_MAX, UTM_MAX, PageView
from webapp.extensions import db
from webapp.seclog import drain

pytestmark = pytest.mark.usefixtures("clean_buffer")
IPS = ("203.0.113.77", "198.51.100.23", "2001:db8::4242", "192.0.2.199")
IP_LIKE = re.compile(r"(^|_)(ip|ips|ipv4|ipv6|ip_?addr(ess)?|remote_?addr|forwarded(_for)?|client_?ip)($|_)", re.I)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=600) | st.binary(max_size=300).map(
    lambda b: b.decode("latin-1"))


def _text_columns(connection):
    inspector = inspect(connection)
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if isinstance(column["type"], String | Text | JSON) or "CHAR" in str(column["type"]).upper():
                yield table, column["name"]


def test_no_table_holds_an_ip_after_collecting(app, client, db_session, redis_conn):
    grant(client, db_session)
    for number, ip in enumerate(IPS):
        client.environ_base["REMOTE_ADDR"] = ip if ":" not in ip else "127.0.0.1"
        for forwarded in (ip, f"{ip}, 10.0.0.{number}", f"for={ip}"):
            client.get(f"/?utm_source=src{number}",
                       headers={"User-Agent": CHROME, "X-Forwarded-For": forwarded, "X-Real-IP": ip,
                                "Forwarded": f"for=\"{ip}\"", "Referer": f"https://ref{number}.example/?from={ip}"})
        client.post("/login", data={"email": "nobody@example.com", "password": "x"},
                    headers={"X-Forwarded-For": ip})
    views = stored_views(db_session)
    assert len(views) == 12
    drain.drain()  # the security log of the sign-in attempts, into its table
    connection = db_session.connection()
    dialect = connection.dialect.name
    found, scanned = [], set()
    for table, column in _text_columns(connection):
        scanned.add(table)
        cast = f'CAST("{column}" AS TEXT)'
        for ip in IPS:
            hits = connection.execute(text(f'SELECT count(*) FROM "{table}" WHERE {cast} LIKE :ip'),
                                      {"ip": f"%{ip}%"}).scalar()
            if hits:
                found.append((table, column, ip))
    assert found == [], f"IP addresses stored ({dialect}): {found}"
    assert {"analytics_page_views", "analytics_daily", "users", "security_log"} <= scanned
    assert {v.referrer_host for v in views} == {f"ref{n}.example" for n in range(4)}
    for key in redis_conn.keys("bizalom:analytics:*"):
        if redis_conn.type(key) == b"list":
            values = b"".join(redis_conn.lrange(key, 0, -1))
        else:
            values = key
        assert not any(ip.encode() in values for ip in IPS)


def test_no_column_of_any_table_is_named_like_an_ip(db_session):
    columns = [(table.name, column.name) for table in db.metadata.sorted_tables for column in table.columns]
    assert [pair for pair in columns if IP_LIKE.search(pair[1])] == []
    assert {c.name for c in PageView.__table__.columns} == {
        "id", "viewed_at", "path", "referrer_host", "utm_source", "utm_medium", "utm_campaign", "device_type",
        "os_family", "browser_family", "visitor_id", "consent_id", "is_new_visitor"}


def _printable(value: str) -> bool:
    return all(unicodedata.category(ch)[0] != "C" for ch in value) and value == value.strip()


@given(value=texts)
def test_clean_text_is_printable_and_bounded(value):
    for cleaned, limit in ((clean.utm(value), UTM_MAX), (clean.path(value), PATH_MAX)):
        assert cleaned is None or (len(cleaned) <= limit and _printable(cleaned))


@given(value=texts)
def test_referrer_gives_a_valid_host_or_nothing(value):
    host = clean.referrer_host(value, "localhost")
    assert host is None or (len(host) <= HOST_MAX and re.fullmatch(r"[a-z0-9.-]+", host))


@given(value=texts)
def test_user_agents_never_fail(value):
    agent = clean.agent(value)
    assert agent.device_type in ("desktop", "mobile", "tablet", "other")
    assert len(agent.os_family) <= 50 and len(agent.browser_family) <= 50


@FUZZ
@given(source=texts, medium=texts, campaign=texts, referrer=texts, agent=texts)
def test_the_collector_stores_only_clean_values(app, client, db_session, monkeypatch, source, medium, campaign,
                                                referrer, agent):
    monkeypatch.setitem(app.config, "ANALYTICS_VISITOR_PER_MINUTE", 10_000)
    if not hasattr(client, "consented"):
        client.consented = grant(client, db_session)
    try:
        headers = {"User-Agent": agent, "Referer": referrer}
        response = client.get("/", query_string={"utm_source": source, "utm_medium": medium,
                                                 "utm_campaign": campaign}, headers=headers)
    except ValueError:
        return  # the test client refuses header values with newlines: nothing reaches the app
    assert response.status_code == 200
    for row in stored_views(db_session):
        for value, limit in ((row.utm_source, UTM_MAX), (row.utm_medium, UTM_MAX), (row.utm_campaign, UTM_MAX)):
            assert value is None or (len(value) <= limit and _printable(value))
        assert row.referrer_host is None or re.fullmatch(r"[a-z0-9.-]+", row.referrer_host)


def test_the_limiter_keys_are_ids_not_addresses(app, client, db_session, redis_conn):
    grant(client, db_session)
    client.get("/", headers={"User-Agent": CHROME, "X-Forwarded-For": IPS[0]})
    keys = [key.decode() for key in redis_conn.keys(limiter.PREFIX + "*")]
    assert keys and not any(ip in key for key in keys for ip in IPS)
    assert collector.COOKIE_NAME == "bz_vid"
