"""``./dev test`` leaves no PostgreSQL server and no temporary folder behind (issue 15)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    bool(os.environ.get("SPORSKIFTE_UNDER_DEV_TEST")),
    reason="runs ./dev test itself; inside a ./dev test run it would recurse",
)
def test_dev_test_stops_its_postgresql_and_removes_its_folder():
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("no PostgreSQL server binaries: ./dev test starts no server")
    # Not under pytest's tmp_path: as root the server runs as postgres, which must reach it.
    tmp = Path(tempfile.mkdtemp(prefix="sporskifte-devtest-"))
    tmp.chmod(0o755)
    try:
        _run_and_check(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run_and_check(tmp: Path) -> None:
    result = subprocess.run(
        ["./dev", "test", "src/sporskifte/core/tests/test_identity.py", "-q", "-k", "cpr"],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp), "PYTEST_WORKERS": "0"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert "PostgreSQL:" in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]
    assert "the server did not start" not in result.stdout
    assert [p.name for p in tmp.glob("sporskifte-pg.*")] == []
    servers = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(tmp) not in servers
