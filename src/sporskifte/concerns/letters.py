"""The worry letter's content and its HTML (a Django template per country).

A letter goes out in the language and with the police contacts of the district that writes it:
a Danish district writes in Danish (114, politi.dk), a Swedish police region in Swedish
(114 14, polisen.se). The officer's screen language plays no part.

The PDF is made from this HTML in ``sporskifte.concerns.pdf``, which alone imports WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

TEMPLATE = "concerns/letter/letter.html"
# The police's non-emergency number, the letter form's first suggestion for the contact phone.
POLICE_PHONE = {"DK": "114", "SE": "114 14"}
TEMPLATES = {"DK": (TEMPLATE, "da"), "SE": ("concerns/letter/letter_se.html", "sv")}


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
    country: str = "DK"  # the writing district's country: the letter's language and contacts

    @property
    def child_first_name(self) -> str:
        return self.child_name.split()[0]


def letter_html(content: LetterContent) -> str:
    template, language = TEMPLATES[content.country]
    with translation.override(language):
        return render_to_string(template, {"letter": content})


def content_to_json(content: LetterContent) -> dict[str, Any]:
    """What the letter says, kept with it until its PDF is rendered by a job: the job writes the
    letter as the officer wrote it, even if an address or the officer's unit changed since."""
    data = asdict(content)
    data["child_birth_date"] = content.child_birth_date.isoformat()
    data["date"] = content.date.isoformat()
    return data


def content_from_json(data: dict[str, Any]) -> LetterContent:
    fields = dict(data)
    fields["child_birth_date"] = dt.date.fromisoformat(fields["child_birth_date"])
    fields["date"] = dt.date.fromisoformat(fields["date"])
    return LetterContent(**fields)
