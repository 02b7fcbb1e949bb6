"""Real processes on a database file of their own: a job commits or rolls back with the
transaction that queued it, a worker killed with SIGKILL mid-job loses nothing (its job is
returned to the queue once its beat stops, and finished by the next worker with the same
input), and two schedulers started on the same slot queue each job once.

Only the queue's own tables are migrated: the rest of the schema plays no part here."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

ROOT = Path(settings.BASE_DIR)
TABLE = DBTaskResult._meta.db_table
TASK = "sporskifte.jobs.tests.tasks.wait_for_release"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("queue")
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'queue.sqlite3'}",
        "SPORSKIFTE_JOBS_WORKER_BEAT_SECONDS": "1",
        "SPORSKIFTE_JOBS_WORKER_LEASE_SECONDS": "4",
        # No periodic job is due at the real time of the run, except where a test asks.
        "SPORSKIFTE_JOBS_CATCH_UP_SECONDS": "0",
        "DJANGO_DEBUG": "false",
        "TMP": str(folder),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    for app in (DBTaskResult._meta.app_label, "jobs"):
        manage(environment, "migrate", app, "-v0")
    return environment


def manage(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def rows(env, where="1=1"):
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [
            dict(r)
            for r in db.execute(
                f"SELECT id, status, task_path, args_kwargs, worker_ids, return_value "
                f"FROM {TABLE} WHERE {where} ORDER BY enqueued_at"
            )
        ]


def wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_job_commits_and_rolls_back_with_its_transaction(env):
    started, release = Path(env["TMP"]) / "started", Path(env["TMP"]) / "release"
    script = f"""
from django.db import transaction
from {TASK.rsplit(".", 1)[0]} import wait_for_release
with transaction.atomic():
    wait_for_release.enqueue({str(started)!r}, {str(release)!r})
try:
    with transaction.atomic():
        wait_for_release.enqueue("rolled", "back")
        raise RuntimeError
except RuntimeError:
    pass
"""
    manage(env, "shell", "-c", script)
    jobs = rows(env, f"task_path = '{TASK}'")
    assert [json.loads(j["args_kwargs"])["args"] for j in jobs] == [[str(started), str(release)]]


def test_a_worker_killed_mid_job_loses_nothing(env):
    started, release = Path(env["TMP"]) / "started", Path(env["TMP"]) / "release"
    [job] = rows(env, f"task_path = '{TASK}'")  # queued by the test above
    worker_cmd = [sys.executable, "manage.py", "run_worker", "--no-reload"]
    worker = subprocess.Popen(
        [*worker_cmd, "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(started.exists)
        [running] = rows(env, f"id = '{job['id']}'")
        assert running["status"] == "RUNNING"
        # The worker is alive and beating: the scheduler leaves its job alone.
        time.sleep(2)
        manage(env, "run_scheduler", "--once")
        assert rows(env, f"id = '{job['id']}'")[0]["status"] == "RUNNING"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    # django-tasks-db by itself leaves the job "running" for ever.
    time.sleep(1)
    assert rows(env, f"id = '{job['id']}'")[0]["status"] == "RUNNING"
    # Once the lease has passed without a beat, the scheduler returns it to the queue.
    time.sleep(5)
    out = manage(env, "run_scheduler", "--once").stdout
    assert f"requeued {uuid.UUID(job['id'])}" in out
    [requeued] = rows(env, f"id = '{job['id']}'")
    assert requeued["status"] == "READY"
    assert requeued["args_kwargs"] == job["args_kwargs"]
    # The next worker finishes it with the same input.
    release.write_text("go")
    subprocess.run([*worker_cmd, "--batch"], cwd=ROOT, env=env, check=True, timeout=120)
    [done] = rows(env, f"id = '{job['id']}'")
    assert done["status"] == "SUCCESSFUL" and json.loads(done["return_value"]) == "released"
    assert len(json.loads(done["worker_ids"])) == 2  # the killed worker, then the one that finished


def test_two_schedulers_on_the_same_slot_queue_each_job_once(env):
    # Sunday 29 November 2026, 04:00:30 in Copenhagen: the window since 22:00:30 holds the six
    # nightly jobs and the weekly compaction, not the 06:00 reminders.
    now = "2026-11-29T04:00:30+01:00"
    schedulers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_scheduler", "--once", "--now", now],
            cwd=ROOT,
            env={**env, "SPORSKIFTE_JOBS_CATCH_UP_SECONDS": str(6 * 3600)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [s.communicate(timeout=120) for s in schedulers]
    assert [s.returncode for s in schedulers] == [0, 0], outputs
    queued = [
        json.loads(j["args_kwargs"])["args"][0]
        for j in rows(env, "task_path = 'sporskifte.jobs.tasks.run_command'")
    ]
    assert sorted(queued) == sorted(
        job["command"]
        for name, job in settings.JOBS_SCHEDULE.items()
        # Sunday 04:00: the 06:00 and 06:05 reminders and Monday's screening run are not due yet.
        if name not in ("overdue-reminders", "screening-overdue", "screening-weekly")
    )
