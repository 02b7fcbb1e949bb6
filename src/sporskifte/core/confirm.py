"""Irreversible actions are confirmed before they are done.

The button that starts one opens the design system's modal, whose own form posts
``confirmed=yes``. Without JavaScript the button posts without it, and the view answers with
the same question as a page (``confirm_page``): the action is only ever done on a second,
deliberate submit. Either way nothing changes on the first click.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRMED) == "yes"


def confirm_page(
    request: HttpRequest, *, question: str, explanation: str, button: str, back_url: str
) -> HttpResponse:
    """The question as a page, posting back to the same address with ``confirmed=yes``."""
    return render(
        request,
        "core/confirm.html",
        {
            "question": question,
            "explanation": explanation,
            "button": button,
            "action": request.path,
            "back_url": back_url,
        },
    )
