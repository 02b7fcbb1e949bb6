"""Every benchmark still runs against the code it measures.

The scripts under ``benchmarks/`` write their data with raw SQL for speed, so a new NOT NULL
column breaks them without any other test noticing (the funnel's step history did, when
corrections added ``reason``). Each runs here once at a toy size on its own temporary SQLite
file; the figures they print at that size mean nothing, only that they finish.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _target_missed() -> int:
    """The scripts' exit status for a missed target, read from their ``_common`` without
    putting ``benchmarks/`` on every test's import path."""
    spec = importlib.util.spec_from_file_location("_bench_common", ROOT / "benchmarks/_common.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return int(module.TARGET_MISSED)


TARGET_MISSED = _target_missed()

RUNS = {
    "referral_pages": "--rows 300 --requests 2 --naive-requests 1 --fair-requests 1 --no-small",
    "funnel": "--rows 300 --repeat 1 --naive-repeat 1",
    "figures": "--rows 300 --repeat 1 --naive-repeat 1",
    "batch_intake": "--rows 50",
    "erasure_compaction": "--rows 300",
    "audit_list_views": "--views 3 --page 5",
    "mediation": "--cases 40 --requests 2 --naive-cases 10",
    "screening": "--incidents 200 --links 50 --import-sizes 20",
}

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the scripts make their own SQLite databases: once per ./dev test is enough",
)


@pytest.mark.parametrize("script", sorted(RUNS))
def test_benchmark_runs_to_the_end(script, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        # The test run's settings would otherwise reach the script's own Django.
        if not key.startswith(("DJANGO_", "DATABASE_", "SPORSKIFTE_"))
    }
    env["TMPDIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / f"{script}.py"), *RUNS[script].split()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # At this size a speed target may be missed (exit 3); a crash or a wrong answer is 1.
    assert result.returncode in (0, TARGET_MISSED), result.stdout[-3000:] + result.stderr[-3000:]
