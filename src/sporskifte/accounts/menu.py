"""The menu's questions about a user ("do they sit in a forum? on a council?"), answered once a
minute per user in each worker instead of on every page.

Every page draws the menu, and two of its entries need a query each. The answer only decides
whether a link is shown: the page behind it checks access itself on every request. So an answer
may be up to MENU_ANSWER_SECONDS old, and is asked anew at once when the user's membership,
role or organisation changes (they are part of the key; ``membership_of`` reads them on every
request). A user added to a forum or a council sees its entry within the minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings

from sporskifte.accounts.access import membership_of

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

MAX_ANSWERS = 20_000  # a worker's memory for this stays small; emptied when full

_answers: dict[tuple[object, ...], tuple[float, bool]] = {}


def menu_answer(user: User, question: str, ask: Callable[[User], bool]) -> bool:
    """``ask(user)``, or its answer from the last MENU_ANSWER_SECONDS for the same membership."""
    seconds = settings.MENU_ANSWER_SECONDS
    if not seconds:
        return ask(user)
    m = membership_of(user)
    key = (question, user.pk, m and (m.pk, m.role, m.organisation_id))
    now = time.monotonic()
    found = _answers.get(key)
    if found is not None and found[0] > now:
        return found[1]
    answer = ask(user)
    if len(_answers) >= MAX_ANSWERS:
        _answers.clear()
    _answers[key] = (now + seconds, answer)
    return answer


def forget_menu_answers() -> None:
    _answers.clear()
