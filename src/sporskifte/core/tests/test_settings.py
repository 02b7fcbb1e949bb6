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
