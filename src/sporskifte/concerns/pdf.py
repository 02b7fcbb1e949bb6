"""The worry letter as a PDF, rendered by WeasyPrint with the system's Pango and fonts.

The letter may load nothing but its own stylesheet from this app's static folder: no web fonts,
no external URLs, no other files on the server. The fetcher below refuses anything else and a
refusal stops the rendering, so a template change that reaches outside fails loudly in tests
instead of leaking a request (or a file) into a letter about a child.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

# WeasyPrint reports each layout step at INFO (already while importing, as it parses its own
# stylesheets): noise in the application's logs, so it is quietened before the import.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML, Document  # noqa: E402
from weasyprint.formatting_structure.boxes import TextBox  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: E402

from sporskifte.concerns.letters import LetterContent, letter_html  # noqa: E402

LETTER_STATIC = (Path(__file__).resolve().parent / "static" / "concerns" / "letter").resolve()


class LetterResourceRefused(FatalURLFetchingError):
    pass


class LetterStaticFetcher(URLFetcher):
    """Serves files from the letter's static folder and refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise LetterResourceRefused(f"refused: {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(LETTER_STATIC) or not path.is_file():
            raise LetterResourceRefused(f"refused: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


@dataclass(frozen=True)
class RenderedLetter:
    pdf: bytes
    document: Document

    def text(self) -> str:
        """The laid-out text, page by page: what a reader of the PDF sees."""
        return "\n".join(
            box.text
            for page in self.document.pages
            for box in page._page_box.descendants()
            if isinstance(box, TextBox)
        )


def render_html(html: str) -> RenderedLetter:
    document = HTML(
        string=html, base_url=LETTER_STATIC.as_uri() + "/", url_fetcher=LetterStaticFetcher()
    ).render(pdf_tags=True)
    return RenderedLetter(pdf=document.write_pdf(pdf_tags=True), document=document)


def letter_render(content: LetterContent) -> RenderedLetter:
    return render_html(letter_html(content))
