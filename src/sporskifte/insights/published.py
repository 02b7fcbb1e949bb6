"""The public figures page, computed once per publication and then served from memory.

A publication is one day (Danish time): the first request of the day for a programme and period
computes the report and stores it in the shared cache (``django.core.cache.cache``), so the
workers compute it once between them; each worker also keeps what it has fetched in its own
memory until the day ends, so later anonymous requests touch neither the database nor the cache.
One publication a day also means one version of the figures a day to compare with the next.

For a visitor without a session (nobody logged in, no message waiting) the whole page is kept
too, rendered once with stand-ins for the two things in it that belong to the request: the CSRF
token of the language form and the address it returns to. Serving it is two string
replacements, no template: the page is read by anyone, so it must cost almost nothing.

Only valid requests are stored, keyed by the period fields alone (anything else in the address
is ignored), so odd addresses cannot fill the cache. A programme that is not public is stored
as missing too: probing ids costs the database once a day per id.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from sporskifte.insights.audiences import PERIOD_FIELDS
from sporskifte.insights.forms import FilterForm
from sporskifte.insights.report import Report, build_report
from sporskifte.insights.selectors import public_programmes, public_scope
from sporskifte.referrals.models import Programme

MEMORY_ENTRIES = 512
T = TypeVar("T")


@dataclass(frozen=True)
class Published:
    programme: Programme | None  # None: no such public programme
    report: Report | None
    # The page's figures and period form as HTML: rendering them (two charts, the form's
    # widgets) cost 15 ms of CPU a request, about all of it, so it is rendered once as well.
    body: str = ""


Render = Callable[[FilterForm, Report | None], str]


_memory: OrderedDict[str, tuple[dt.date, Published]] = OrderedDict()
_lock = threading.Lock()


_pages: OrderedDict[str, tuple[dt.date, str]] = OrderedDict()

# Stand-ins rendered into a kept page: letters only, so escaping leaves them as they are.
CSRF_STAND_IN = "sporskifteCsrfStandIn"
NEXT_STAND_IN = "sporskifteNextStandIn"


def forget() -> None:
    """Drop this worker's copies (tests; a programme taken off the public page)."""
    with _lock:
        _memory.clear()
        _pages.clear()


def _remember(store: OrderedDict[str, tuple[dt.date, T]], key: str, day: dt.date, value: T) -> None:
    with _lock:
        store[key] = (day, value)
        store.move_to_end(key)
        while len(store) > MEMORY_ENTRIES:
            store.popitem(last=False)


def _key(pk: int, query: Mapping[str, str], day: dt.date) -> str:
    asked = ";".join(f"{name}={query.get(name, '')}" for name in sorted(PERIOD_FIELDS))
    # v2: entries carry the rendered HTML; an entry of the version before would show no figures.
    return f"insights:public:v2:{day.isoformat()}:{get_language()}:{pk}:{asked}"


def _until_midnight(now: dt.datetime) -> int:
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time.min, now.tzinfo)
    return max(1, int((tomorrow - now).total_seconds()))


def _compute(pk: int, query: Mapping[str, str], render: Render) -> tuple[Published, bool]:
    """The figures, and whether they may be stored (not when the period asked is invalid)."""
    programme = public_programmes().filter(pk=pk).first()
    if programme is None:
        return Published(None, None), True
    scope = public_scope(programme)
    form = FilterForm(query, scope=scope, programmes=[programme], period_only=True)
    if not form.is_valid():
        return Published(programme, None, render(form, None)), False
    report = build_report(scope, [programme], form.filters())
    return Published(programme, report, render(form, report)), True


def public_figures(pk: int, query: Mapping[str, str], render: Render) -> Published:
    """``render(form, report)`` makes the HTML of the figures and the form: it depends on
    nothing but them (no request, no user), so it is stored with them."""
    now = timezone.localtime()
    day = now.date()
    key = _key(pk, query, day)
    with _lock:
        held = _memory.get(key)
    if held is not None and held[0] == day:
        return held[1]
    found = cache.get(key)
    if not isinstance(found, Published):
        found, storable = _compute(pk, query, render)
        if not storable:
            return found
        cache.set(key, found, timeout=_until_midnight(now))
    _remember(_memory, key, day, found)
    return found


def anonymous_page(pk: int, query: Mapping[str, str], render_page: Callable[[], str]) -> str:
    """The whole page of a publication for a visitor without a session, with the stand-ins
    (``CSRF_STAND_IN``, ``NEXT_STAND_IN``) still in it. Kept per worker, like the figures, and
    only for a publication that exists and a valid period (``public_figures`` is asked first)."""
    day = timezone.localdate()
    key = _key(pk, query, day)
    with _lock:
        held = _pages.get(key)
    if held is not None and held[0] == day:
        return held[1]
    page = render_page()
    with _lock:
        stored = key in _memory
    if stored:
        _remember(_pages, key, day, page)
    return page
