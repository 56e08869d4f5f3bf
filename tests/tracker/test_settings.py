import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_bool


@pytest.mark.parametrize(
    "raw, value", [("true", True), ("False", False), ("1", True), ("off", False), ("", True)]
)
def test_it_reads_booleans_strictly(monkeypatch, raw, value):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", True) is value


def test_it_refuses_a_vague_boolean(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes please")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        env_bool("X_FLAG", False)


def run_settings(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "SECURE", "DATABASE_URL")
    }
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_requires_a_secret_key_in_production():
    result = run_settings(DEBUG="false")
    assert result.returncode != 0 and "SECRET_KEY is required" in result.stderr


def test_it_defaults_to_sqlite_with_wal_and_immediate_transactions():
    from django.conf import settings

    if os.environ.get("DATABASE_URL"):
        pytest.skip("this run uses DATABASE_URL")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"] and options["timeout"] >= 5


def test_it_selects_postgresql_from_database_url():
    result = run_settings(DEBUG="true", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_it_passes_the_deploy_check_with_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECURE", "PLAIN_STATIC", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="a" * 20 + "-production-like-secret-key-" + "b" * 20,
        ALLOWED_HOSTS="diary.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_it_uses_wal_on_sqlite():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    assert mode == "wal"
