"""Configuration is read in create_app and fails fast on missing production secrets."""

from __future__ import annotations

import pytest

from webapp.config import ConfigError, load_config


def test_embedded_default_needs_nothing(tmp_path):
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'bizalom.sqlite3'}"
    assert config["REDIS_URL"] is None
    assert config["PRODUCTION"] is False


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATA_ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL"])
def test_production_fails_fast_without_a_required_setting(missing):
    environ = {"BIZALOM_ENV": "production", "SECRET_KEY": "s" * 40, "DATA_ENCRYPTION_KEY": "k" * 44,
               "DATABASE_URL": "postgresql://db/x", "REDIS_URL": "redis://r"}
    del environ[missing]
    with pytest.raises(ConfigError, match=missing):
        load_config(environ)


def test_production_refuses_a_short_secret():
    with pytest.raises(ConfigError, match="32"):
        load_config({"BIZALOM_ENV": "production", "SECRET_KEY": "short", "DATA_ENCRYPTION_KEY": "k",
                     "DATABASE_URL": "postgresql://db/x",
                     "REDIS_URL": "redis://r"})


def test_postgres_urls_use_psycopg3():
    config = load_config({"DATABASE_URL": "postgres://u@h/db"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError):
        load_config({"BIZALOM_ENV": "staging"})


def test_create_app_has_no_import_time_side_effects():
    import subprocess
    import sys

    code = "import webapp, webapp.extensions, webapp.models, workers.maintenance; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PATH": "/usr/bin", "INSTANCE_PATH": "/nonexistent/should-not-be-created"})
    assert result.stdout.strip() == "ok" and result.stderr == ""


def test_numeric_settings_are_checked():
    with pytest.raises(ConfigError, match="LOCKOUT_IP_FAILURES"):
        load_config({"LOCKOUT_IP_FAILURES": "many"})
    assert load_config({"SESSION_IDLE_MINUTES": "45"})["SESSION_IDLE_MINUTES"] == 45
