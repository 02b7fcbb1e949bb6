"""The settings gunicorn runs with in load_test.py: the production profile (the environment the
script sets) with the collected static files in a temporary folder instead of the checkout.

The load test requests no static files: the manifest (which {% static %} reads, as in
production) is kept, WhiteNoise's compression at collect time (minutes on a busy machine) not.
"""

import os
from pathlib import Path

from sporskifte.settings import *  # noqa: F403
from sporskifte.settings import STORAGES

STATIC_ROOT = Path(os.environ["SPORSKIFTE_LOAD_STATIC_ROOT"])
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
