"""The main menu: which entries a user sees, drawn in Python once per request.

Every page shows the menu (twice: the bar for wide screens, the drawer for narrow ones). It was
a template of forty conditional tags in ``core``; here it is a list of entries, each with the
roles it is for, walked once per request. That saves about 900 function calls per page, but
no CPU time that could be told apart from the machine's noise (benchmarks/README.md, sixth
round). The point is where the rules live: each entry and its roles in one list, and each
app's own question in that app.

Apps above ``accounts`` (fora, councils, insights) decide some entries by questions of their own
("does this user sit in a forum?"). They register those questions here (``menu_condition``) from
their ``ready()``, so this module names their addresses but never imports them.

The questions are answered once a minute per user in each worker instead of on every page:
two of them need a query each. The answer only decides whether a link is shown: the page behind
it checks access itself on every request. So an answer may be up to MENU_ANSWER_SECONDS old, and
is asked anew at once when the user's membership, role or organisation changes (they are part
of the key; ``membership_of`` reads them on every request). A user added to a forum or a council
sees its entry within the minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from sporskifte.accounts.access import membership_of, partner_of
from sporskifte.accounts.models import POLICE_ROLES, Role
from sporskifte.core.templatetags.sporskifte import fixed_url
from sporskifte.organisations.models import Country

if TYPE_CHECKING:
    from sporskifte.accounts.models import Membership, User

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


# The entries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Promise
    roles: frozenset[str] | None = None  # None: any role
    condition: str = ""  # a question an app registered (menu_condition); unregistered: hidden
    denmark_only: bool = False


def _for(*roles: str) -> frozenset[str]:
    return frozenset(roles)


POLICE = POLICE_ROLES
ADMIN = _for(Role.DISTRICT_ADMIN)
SECRETARIAT = _for(Role.PREVENTION_SECRETARIAT, Role.DISTRICT_ADMIN)
SYSTEM = _for(Role.SYSTEM_ADMIN)
VICTIMS = _for(Role.VICTIM_ADVISER)

ENTRIES: tuple[Entry, ...] = (
    Entry("referrals:overview", _("Referrals"), POLICE),
    Entry("referrals:offer_new", _("New offer"), POLICE),
    Entry("referrals:case_list", _("Cases"), POLICE),
    Entry("concerns:case_list", _("Worry conversations"), POLICE),
    Entry("victims:information_new", _("Victim support"), POLICE, denmark_only=True),
    Entry("exit:case_list", _("Exit cases"), _for(Role.EXIT_COORDINATOR)),
    Entry("victims:inbox", _("Referrals"), VICTIMS),
    Entry("victims:month", _("The month's conversations"), VICTIMS),
    Entry("victims:figures", _("Figures"), VICTIMS),
    Entry("referrals:programme_list", _("Programmes"), ADMIN),
    Entry("audit:search", _("Audit log"), ADMIN),
    # Municipal counsellors in fora get no referrals: the inbox is a partner centre's.
    Entry("referrals:inbox", _("Inbox"), _for(Role.COUNSELLOR), condition="partner"),
    Entry("insights:report", _("Figures and impact"), condition="insights"),
    Entry("audit:search", _("Audit log"), SYSTEM),
    Entry("accounts:user_list", _("Users"), SYSTEM),
    Entry("accounts:api_token_list", _("API tokens"), SYSTEM),
    Entry("jobs:job_list", _("Background jobs"), SYSTEM),
    Entry("outreach:warning_list", _("Public warnings"), SECRETARIAT),
    Entry("outreach:contact_points", _("School contact points"), SECRETARIAT),
    Entry("outreach:visit_request_list", _("Visit requests"), SECRETARIAT | POLICE),
    Entry("outreach:school_concern_list", _("Reports from schools"), SECRETARIAT | POLICE),
    Entry(
        "research:project_list", _("Research projects"), _for(Role.DISTRICT_ADMIN, Role.RESEARCHER)
    ),
    Entry("mediation:police_list", _("Mediation"), POLICE),
    Entry("mediation:queue", _("Mediation"), _for(Role.MEDIATION_COORDINATOR)),
    Entry("mediation:my_cases", _("Mediation"), _for(Role.MEDIATOR)),
    Entry("mediation:prosecutor_list", _("Mediation"), _for(Role.PROSECUTOR)),
    Entry(
        "screening:hit_list",
        _("Child-risk screening (Socialsøg)"),
        _for(Role.SCREENING_OFFICER, Role.DISTRICT_ADMIN),
    ),
    Entry("screening:inbox", _("Notifications"), _for(Role.CHILD_SERVICES)),
    Entry("fora:forum_list", _("Cooperation fora"), condition="fora"),
    Entry("councils:council_list", _("Councils and plans"), condition="councils"),
)

Condition = Callable[["User"], bool]
_conditions: dict[str, Condition] = {
    # The inbox is a partner centre's counsellor's: the same rule as the inbox itself.
    "partner": lambda user: partner_of(user) is not None,
}


def menu_condition(name: str, ask: Condition) -> None:
    """Register the question behind the entries marked ``condition=name`` (an app's
    ``ready()``)."""
    _conditions[name] = ask


def _shown(entry: Entry, user: User, membership: Membership) -> bool:
    if entry.roles is not None and membership.role not in entry.roles:
        return False
    if entry.denmark_only and membership.organisation.country != Country.DENMARK:
        return False
    if entry.condition:
        ask = _conditions.get(entry.condition)
        return ask is not None and ask(user)
    return True


def menu_html(request: HttpRequest, membership: Membership) -> SafeString:
    """The entries ``membership`` sees, the one the page lies under marked as current."""
    path = request.path
    items = []
    for entry in ENTRIES:
        if not _shown(entry, request.user, membership):  # type: ignore[arg-type]
            continue
        href = fixed_url(entry.url_name)  # reversed once per worker
        current = path == href or (href.count("/") > 2 and path.startswith(href))
        items.append(
            format_html(
                '<li{}><a class="nav-link" href="{}"{}><span>{}</span></a></li>',
                mark_safe(' class="active"') if current else "",
                href,
                mark_safe(' aria-current="page"') if current else "",
                entry.label,
            )
        )
    return mark_safe("\n".join(items))  # noqa: S308 - each item from format_html
