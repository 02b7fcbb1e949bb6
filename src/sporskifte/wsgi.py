import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sporskifte.settings")
application = get_wsgi_application()
# Import every view now, not on a worker's first request: the URLconf pulls in the SAML, PDF
# and API libraries, about 6 s of CPU, which on a busy machine outlasted gunicorn's 30 s
# timeout, so a fresh worker was killed and its replacement started over. With gunicorn's
# --preload this happens once in the master and the workers inherit it.
get_resolver().url_patterns  # noqa: B018 - evaluated for its import
