"""The worry letter's PDF, rendered by a background job after the letter is stored."""

from __future__ import annotations

import hashlib

from django_tasks import task

from sporskifte.concerns.letters import content_from_json
from sporskifte.concerns.models import Letter


@task()
def render_letter(*, letter_id: int) -> str:
    """Render the stored content once. The layout runs outside any transaction; the PDF is
    written only to a letter still without one, so a job run twice (a retry, a worker lost after
    writing) leaves the first PDF. A job that fails leaves the content for its retry."""
    from sporskifte.concerns.pdf import letter_render  # WeasyPrint loads only when needed

    letter = Letter.objects.filter(pk=letter_id).defer("pdf").first()
    if letter is None or letter.rendered:
        return "nothing to do"  # erased with its case, or rendered by an earlier run
    pdf = letter_render(content_from_json(letter.content)).pdf
    Letter.objects.filter(pk=letter_id, pdf_sha256="").update(
        pdf=pdf, pdf_size=len(pdf), pdf_sha256=hashlib.sha256(pdf).hexdigest()
    )
    return f"{len(pdf)} bytes"
