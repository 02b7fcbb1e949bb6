"""The worry letter's content and its Danish HTML (a Django template).

The PDF is made from this HTML in ``sporskifte.concerns.pdf``, which alone imports WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

TEMPLATE = "concerns/letter/letter.html"


@dataclass(frozen=True)
class LetterContent:
    child_name: str
    child_birth_date: dt.date
    recipients: list[str]
    address: str
    postal_code: str
    city: str
    observation: str
    contact_name: str
    contact_phone: str
    contact_email: str
    offer_conversation: bool
    officer_name: str
    officer_title: str
    unit_name: str
    district_name: str
    reference: str
    date: dt.date

    @property
    def child_first_name(self) -> str:
        return self.child_name.split()[0]


def letter_html(content: LetterContent) -> str:
    # The letter is Danish whatever language the officer's screen uses.
    with translation.override("da"):
        return render_to_string(TEMPLATE, {"letter": content})
