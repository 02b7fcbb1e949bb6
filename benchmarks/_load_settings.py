"""The settings gunicorn runs with in load_test.py: the production profile (the environment the
script sets) with the collected static files in a temporary folder instead of the checkout."""

import os
from pathlib import Path

from sporskifte.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["SPORSKIFTE_LOAD_STATIC_ROOT"])
