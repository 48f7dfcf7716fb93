import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from stemwijzer.settings import envbool, envint, envlist

ROOT = Path(__file__).resolve().parent.parent
# Variables the test run may set that must not leak into a "production" process.
TEST_ONLY = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "STATIC_MANIFEST",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 60 + "-production-like-secret-for-the-check",
    "ALLOWED_HOSTS": "stemwijzer.example.nl",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_envbool_fails_loudly_on_a_value_it_cannot_read(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "misschien")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        envbool("SOME_FLAG", "false")


def test_envint_fails_loudly_on_a_value_it_cannot_read(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "tien")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        envint("SOME_NUMBER", "1")


def test_envlist_splits_on_commas(monkeypatch):
    monkeypatch.setenv("SOME_LIST", " a.nl, b.nl ,,")
    assert envlist("SOME_LIST", "") == ["a.nl", "b.nl"]


def test_check_deploy_is_clean_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = run_manage("check", env={**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_log_level_is_validated_like_every_other_setting():
    result = run_manage("check", env={**PRODUCTION, "LOG_LEVEL": "verbose"})
    assert result.returncode != 0
    assert "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in result.stderr
    assert run_manage("check", env={**PRODUCTION, "LOG_LEVEL": "info"}).returncode == 0


def test_postgresql_connections_get_a_statement_and_a_connect_timeout():
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = run_manage(
        "shell", "-v", "0", "-c", code, env={**PRODUCTION, "DATABASE_URL": "postgres://u@db.example/x"}
    )
    assert "'connect_timeout': 3" in result.stdout and "statement_timeout=5000" in result.stdout, (
        result.stderr
    )


def test_postgresql_is_djangos_backend_with_a_deadline_for_a_server_that_stops_answering():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.DB_QUERY_DEADLINE)"
    result = run_manage(
        "shell", "-v", "0", "-c", code, env={**PRODUCTION, "DATABASE_URL": "postgres://u@db.example/x"}
    )
    assert result.stdout.split() == ["stemwijzer.db", "6.0"], result.stderr
