"""Database connection settings as the environment gives them (read in a fresh interpreter,
since settings are read once per process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]
PRINT = (
    "import json, sporskifte.settings as s; d = s.DATABASES['default']; "
    "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
)


def database_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SPORSKIFTE_"))
    }
    environment.update(
        PYTHONPATH=str(SRC),
        DJANGO_SECRET_KEY="test-only-" + "x" * 40,
        SPORSKIFTE_PSEUDONYM_KEY="test-only",
        SPORSKIFTE_SITE_URL="https://sporskifte.example",
        DATABASE_URL="postgres://u@127.0.0.1:1/db",
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", PRINT], env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SPORSKIFTE_ENV": "production"}, [60, True]),
        ({"SPORSKIFTE_ENV": "development"}, [0, True]),
        ({"SPORSKIFTE_ENV": "production", "DJANGO_CONN_MAX_AGE": "300"}, [300, True]),
        (
            {
                "SPORSKIFTE_ENV": "production",
                "DATABASE_URL": "postgres://u@h:1/db?conn_max_age=0&conn_health_checks=false",
            },
            [0, False],
        ),
    ],
)
def test_production_keeps_database_connections(env, expected):
    result = database_settings(**env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_malformed_health_check_flag_stops_the_start():
    result = database_settings(DATABASE_URL="postgres://u@h:1/db?conn_health_checks=yes")
    assert result.returncode != 0
    assert "conn_health_checks must be true or false" in result.stderr


def settings_values(*names: str, **env: str) -> subprocess.CompletedProcess:
    """The named settings as a fresh process reads them from ``env`` (JSON list)."""
    code = (
        "import json, sporskifte.settings as s; "
        f"print(json.dumps([getattr(s, n) for n in {list(names)!r}]))"
    )
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SPORSKIFTE_"))
    }
    for name in ("AUDIT_RETENTION_DAYS", "CONCERNS_RETENTION_DAYS"):
        environment.pop(name, None)
    environment.update(
        PYTHONPATH=str(SRC),
        DJANGO_SECRET_KEY="test-only-" + "x" * 40,
        SPORSKIFTE_PSEUDONYM_KEY="test-only",
        SPORSKIFTE_SITE_URL="https://sporskifte.example",
        DATABASE_URL="postgres://u@127.0.0.1:1/db",
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("variable", "profile"),
    [
        ("SPORSKIFTE_DEMO", "development"),
        ("DJANGO_DEBUG", "development"),
        ("SPORSKIFTE_MFA_REQUIRED", "development"),
        ("DJANGO_SECURE_SSL_REDIRECT", "production"),
    ],
)
def test_a_misspelt_boolean_stops_the_start_naming_the_variable(variable, profile):
    result = settings_values("DEBUG", SPORSKIFTE_ENV=profile, **{variable: "ture"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable} must be one of true/false" in result.stderr
    assert "'ture'" in result.stderr


def test_booleans_read_their_words_both_ways():
    result = settings_values(
        "DEMO",
        "MFA_REQUIRED",
        "DEBUG",
        SPORSKIFTE_DEMO="Yes",
        SPORSKIFTE_MFA_REQUIRED="off",
        DJANGO_DEBUG="0",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, False, False]


def test_retention_comes_from_the_environment_and_defaults_to_the_documented_days():
    default = settings_values("AUDIT_RETENTION_DAYS", "CONCERNS_RETENTION_DAYS")
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout) == [183, 730]
    configured = settings_values(
        "AUDIT_RETENTION_DAYS",
        "CONCERNS_RETENTION_DAYS",
        AUDIT_RETENTION_DAYS="365",
        CONCERNS_RETENTION_DAYS="1095",
    )
    assert configured.returncode == 0, configured.stderr
    assert json.loads(configured.stdout) == [365, 1095]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("two years", "must be a whole number"),
        ("7", "must be at least 30"),
        ("-1", "must be at least 30"),
    ],
)
def test_a_malformed_retention_stops_the_start(value, message):
    result = settings_values("CONCERNS_RETENTION_DAYS", CONCERNS_RETENTION_DAYS=value)
    assert result.returncode != 0
    assert f"CONCERNS_RETENTION_DAYS {message}" in result.stderr


def test_a_replica_url_adds_a_read_only_replica_and_the_router():
    result = settings_values(
        "DATABASE_ROUTERS",
        "DATABASES",
        SPORSKIFTE_ENV="production",
        DATABASE_REPLICA_URL="postgres://reader@standby.internal:5432/sporskifte",
    )
    assert result.returncode == 0, result.stderr
    routers, databases = json.loads(result.stdout)
    assert routers == ["sporskifte.core.replica.ReplicaRouter"]
    replica = databases["replica"]
    assert replica["HOST"] == "standby.internal"
    assert replica["OPTIONS"]["options"] == "-c default_transaction_read_only=on"
    assert replica["CONN_MAX_AGE"] == 60
    assert replica["TEST"] == {"MIRROR": "default"}


def test_without_a_replica_url_there_is_one_database_and_no_router():
    result = settings_values("DATABASES", "DATABASE_ROUTERS")
    assert result.returncode == 0, result.stderr
    databases, routers = json.loads(result.stdout)
    assert list(databases) == ["default"]
    assert routers == []


def test_a_replica_beside_sqlite_is_refused():
    result = settings_values(
        "DATABASES",
        DATABASE_URL="sqlite:///tmp/x.sqlite3",
        DATABASE_REPLICA_URL="postgres://reader@standby.internal:5432/sporskifte",
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL" in result.stderr


def test_templates_are_compiled_once_per_worker():
    """Django's cached loader (its default when no loaders are named): a page's templates are
    parsed on a worker's first request only. Naming loaders in TEMPLATES without it would parse
    the base template and the menu again on every request."""
    from django.template import engines
    from django.template.loaders.cached import Loader

    (loader,) = engines["django"].engine.template_loaders
    assert isinstance(loader, Loader)
