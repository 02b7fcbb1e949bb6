"""A task for the worker-process test: it says it started, then waits to be released."""

import time
from pathlib import Path

from django_tasks import task


@task()
def wait_for_release(started: str, release: str) -> str:
    Path(started).write_text("started")
    while not Path(release).exists():
        time.sleep(0.1)
    return "released"
