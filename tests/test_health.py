"""/healthz says the process is up; /readyz checks the database, migrations and Redis."""

from __future__ import annotations

from redis import Redis


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_when_everything_answers(client):
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "ready"
    assert body["checks"]["migrations"]["current"] == body["checks"]["migrations"]["head"]
    assert body["checks"]["redis"] == {"ok": True, "mode": "redis"}


def test_readyz_is_503_while_redis_is_down_but_pages_still_serve(app, client):
    live = app.extensions["redis"]
    app.extensions["redis"] = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    try:
        response = client.get("/readyz")
        home = client.get("/")
    finally:
        app.extensions["redis"] = live
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"]["ok"] is False
    assert home.status_code == 200


def test_readyz_reports_a_schema_behind_the_head(app, client, db_session):
    from sqlalchemy import text

    db_session.execute(text("UPDATE alembic_version SET version_num = 'behind'"))
    db_session.commit()
    body = client.get("/readyz").get_json()
    assert body["checks"]["migrations"]["ok"] is False
    assert body["checks"]["migrations"]["current"] == ["behind"]


def test_inline_mode_is_ready_without_redis(tmp_path, database_url, extra_apps):
    app = extra_apps(DATABASE_URL=database_url, INSTANCE_PATH=str(tmp_path))
    body = app.test_client().get("/readyz").get_json()
    assert body["checks"]["redis"] == {"ok": True, "mode": "inline"}
