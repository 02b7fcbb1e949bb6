"""A notification as PDF (WeasyPrint), for the municipality's file or for the channel outside
Sporskifte. The document loads nothing: every URL is refused, so a template change cannot leak
a request out of a document about a child."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # noqa: E402

from sporskifte.screening.models import Notification  # noqa: E402


class _RefuseAll(URLFetcher):
    def __init__(self) -> None:
        super().__init__(fail_on_errors=True)

    def fetch(self, url: str, headers: object = None) -> object:
        raise FatalURLFetchingError(f"refused: {url}")


def notification_pdf(notification: Notification) -> bytes:
    html = render_to_string("screening/notification_pdf.html", {"n": notification})
    return HTML(string=html, url_fetcher=_RefuseAll()).write_pdf()
