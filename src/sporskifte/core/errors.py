"""The errors services raise; the web and API layers decide what answer each becomes.

Services raise no HTTP answers (``Http404``): they raise ``NotAllowed`` when the acting user may
not do what was asked, and ``ValidationError`` when the input is wrong. ``NotAllowed`` is a
``PermissionDenied``, and every ``PermissionDenied`` is answered as "not found" in one place
each: ``handler403`` in the root URLconf for pages (``site.views.refused_as_not_found``) and the
API's exception handler (``api.exceptions``). Forbidden looks like missing, so nobody learns
that an object exists by trying.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class NotAllowed(PermissionDenied):
    """The acting user may not do this (answered as 404)."""
