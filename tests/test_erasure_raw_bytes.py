"""Erased means gone from the database files, not only from query results (issue 15).

A database is filled with marked personal data (``sporskifte.testing.erasure_scenario``), the
erasure jobs and the follow-up (``compact_erased_data``) run, and every file the database keeps
is searched for the markers. The database is our own, outside the test runner's: SQLite in a
temporary file; PostgreSQL a throwaway server started here (as ``./dev test`` and
``benchmarks/pg_throwaway.sh`` start theirs; as root it runs as the postgres user), so its data
directory can be read. Each runs in the suite's pass of its own database, so ``./dev test`` runs
both once.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _scenario(step: str, database_url: str, **env: str) -> str:
    code = f"from sporskifte.testing.erasure_scenario import {step}; {step}()"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING", **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _found(files: Iterator[Path], markers: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in files:
        if not path.is_file():
            continue
        data = path.read_bytes()
        for marker in markers:
            if marker.encode() in data:
                found.setdefault(marker, []).append(path.name)
    return found


def test_sqlite_file_holds_no_erased_bytes_after_the_jobs(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("runs in the suite's SQLite pass")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    markers = _scenario("fill", url).split()
    assert len(markers) > 40
    # The search finds what is there: before erasure, every marker is in the files.
    assert len(_found(tmp_path.glob("db.sqlite3*"), markers)) == len(markers)
    control = tmp_path / "control"
    control.mkdir()
    for f in tmp_path.glob("db.sqlite3*"):
        shutil.copy(f, control / f.name)

    _scenario("erase", url)
    assert _found(tmp_path.glob("db.sqlite3*"), markers) == {}

    # Without secure_delete (SQLite's upstream default) the same erasure leaves most behind:
    # what keeps the file clean is the connection set-up, not how this machine's SQLite is built.
    _scenario("erase", f"sqlite:///{control / 'db.sqlite3'}", SCENARIO_SECURE_DELETE_OFF="1")
    assert len(_found(control.glob("db.sqlite3*"), markers)) > len(markers) // 2


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    return found[-1].parent if found else None


def _as_pg(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def test_postgresql_data_directory_holds_no_erased_bytes_after_the_follow_up():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the suite's PostgreSQL pass")
    pg_bin = _pg_bin()
    if pg_bin is None:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql to start a server")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser to start the server as postgres")
    home = Path(tempfile.mkdtemp(prefix="sporskifte-rawbytes-"))
    home.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    data = home / "data"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    try:
        subprocess.run(
            _as_pg([str(pg_bin / "initdb"), "-D", str(data), "-U", "sporskifte", "-A", "trust",
                    "-E", "UTF8", "--no-locale", "--no-sync"]),
            check=True, capture_output=True,
        )  # fmt: skip
        # wal_recycle off: a WAL segment past its checkpoint is deleted, not renamed for reuse
        # with its old contents (docs/data-retention.md asks the same of production).
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c fsync=off "
            "-c wal_recycle=off -c autovacuum=off"
        )
        subprocess.run(
            _as_pg([str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(home / "server.log"),
                    "-w", "-t", "60", "-o", options, "start"]),
            check=True, capture_output=True,
        )  # fmt: skip
        url = f"postgres://sporskifte@127.0.0.1:{port}/postgres"
        markers = _scenario("fill", url).split()
        assert len(markers) > 40
        tables = lambda: (p for p in data.rglob("*") if "pg_wal" not in p.parts)  # noqa: E731
        assert len(_found(tables(), markers)) == len(markers)

        _scenario("erase", url)
        assert _found(tables(), markers) == {}

        # The WAL still holds the old pages until its segments pass two checkpoints; after that
        # (the docs give the bound) nothing is left anywhere in the data directory.
        psql = [str(pg_bin / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "sporskifte",
                "-d", "postgres", "-qAt"]  # fmt: skip
        for _ in range(3):
            subprocess.run(
                [*psql, "-c", "SELECT pg_switch_wal()", "-c", "CHECKPOINT"],
                check=True, capture_output=True,
            )  # fmt: skip
        assert _found(data.rglob("*"), markers) == {}
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_pg([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
            )
        shutil.rmtree(home, ignore_errors=True)
