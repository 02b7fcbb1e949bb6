"""The invitation and the confirmation of the agreement, as HTML in the case's language (Danish
for a konfliktråd, Swedish for medling), turned into a PDF by the worry letters' machinery
(``concerns.pdf.render_html``: WeasyPrint, only the letter stylesheet may load)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation

LANGUAGE = {"DK": "da", "SE": "sv"}


@dataclass(frozen=True)
class MediationLetter:
    kind: str  # invitation | confirmation
    country: str
    recipient: str
    reference: str
    district_name: str
    offence_date: dt.date
    date: dt.date
    sender_name: str
    meeting_place: str = ""
    meeting_at: dt.datetime | None = None
    agreement_text: str = ""
    terms: list[tuple[str, str, dt.date]] = field(default_factory=list)


def letter_html(letter: MediationLetter) -> str:
    with translation.override(LANGUAGE[letter.country]):
        return render_to_string(
            f"mediation/letter/{letter.kind}_{letter.country.lower()}.html", {"letter": letter}
        )
