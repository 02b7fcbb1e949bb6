"""Shared start-up of the benchmark scripts: a dedicated database, Django, timing helpers.

The benchmarks never touch the developer's database: the default is a file in the system's
temporary directory, and a database that has tables but no benchmark marker is refused.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
MARKER_TABLE = "sporskifte_benchmark_marker"
# The exit status of a run that finished with the right answers but missed a speed target:
# not 1, a crash or a wrong answer, so a run at a toy size (tests/test_benchmarks.py) can tell
# a broken script from figures that only mean something at full size.
TARGET_MISSED = 3


def default_sqlite_url(name: str, reuse: bool) -> str:
    directory = Path(tempfile.gettempdir())
    if reuse:
        path = directory / f"{name}.sqlite3"
    else:
        fd, raw = tempfile.mkstemp(prefix=f"{name}-", suffix=".sqlite3")
        os.close(fd)
        path = Path(raw)
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:"):
        return None
    return Path(urlparse(url).path)


def setup_django(database_url: str, settings: str = "sporskifte.settings") -> None:
    """Configure the environment before Django reads it, then start Django."""
    path = sqlite_path(database_url)
    if path is not None and path.resolve() == (ROOT / "var" / "sporskifte.sqlite3").resolve():
        sys.exit("Refusing to benchmark in the developer's database var/sporskifte.sqlite3.")
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ["DATABASE_URL"] = database_url
    # Measure what production runs: no DEBUG query log. The test client's host must be allowed.
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["LOG_LEVEL"] = "WARNING"
    # Throwaway keys, so nothing is written under var/.
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("SPORSKIFTE_PSEUDONYM_KEY", "benchmark-only-pseudonyms")
    import warnings

    import django

    # WhiteNoise's notice that collectstatic has not run: irrelevant to these pages.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def prepare_database(*, reuse: bool, fingerprint: str) -> bool:
    """Migrate and load reference data. Returns True when a database this benchmark already
    filled with the same ``fingerprint`` is reused (``--reuse``); otherwise it starts empty.

    A database with tables but without the marker is someone else's: stop instead of touching it.
    """
    from django.core.management import call_command
    from django.db import connection

    tables = set(connection.introspection.table_names())
    if tables and MARKER_TABLE not in tables:
        sys.exit(
            "The database already has tables and was not made by a benchmark; "
            "give an empty database (or one a benchmark made)."
        )
    reused = bool(tables) and reuse and marker_get("fingerprint") == fingerprint
    if tables and not reused:
        _drop_all_tables(tables)
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key varchar(50) PRIMARY KEY, value text)"
        )
    from sporskifte.referrals.reference_data import reference_data_load

    reference_data_load()
    return reused


def _drop_all_tables(tables: set[str]) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        return
    path = Path(connection.settings_dict["NAME"])
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def remove_sqlite_file(url: str) -> None:
    from django.db import connection

    connection.close()
    path = sqlite_path(url)
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def marker_get(key: str) -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE key = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else None


def marker_set(key: str, value: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE key = %s", [key])
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (key, value) VALUES (%s, %s)", [key, value])


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def timed(fn: Callable[[], object], n: int, warmup: int = 3) -> dict[str, float]:
    """Run fn n times after a few warm-up calls; wall-clock milliseconds (p50, p95, max) and
    this process's CPU milliseconds (p50). With SQLite the CPU time includes the database's
    work; it is less disturbed than wall time when other programs share the cores."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {
        "p50": statistics.median(wall),
        "p95": percentile(wall, 95),
        "max": max(wall),
        "cpu50": statistics.median(cpu),
        "n": n,
    }


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores"


def redacted(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url
