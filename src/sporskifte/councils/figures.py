"""Indicators fed by Sporskifte's own figures, read from the referral rollup the insights app
reads (``insights.rollup``), and protected as published figures are (``insights.suppression``):
a rate is shown only when neither the yeses nor the noes are a group of 1 to 4.

Referral uptake is read here. The counts of the apps beside this one (konfliktråd meetings held,
notifications sent to the municipality) are read through ``settings.COUNCIL_FEEDS``: the name of
a function in that app returning a count for (district, municipality, start, end). The councils
app imports none of them (the apps sit side by side in the layers) and protects a count of 1 to
4 as published figures are. Nothing here reads a row about a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

from sporskifte.insights import rollup
from sporskifte.insights.selectors import Filters, Period
from sporskifte.insights.suppression import is_hidden, suppress_list
from sporskifte.referrals.models import Programme

# Counts from 1 to this minus one are withheld, as in the published figures.
THRESHOLD = 5

if TYPE_CHECKING:
    from sporskifte.organisations.models import Municipality


@dataclass(frozen=True)
class Figure:
    value: Decimal | None  # None: withheld to protect a small group


def referral_uptake(
    district_id: int, municipality: Municipality, year: int, quarter: int
) -> Figure:
    """Share (%) of the people offered help in the quarter who said yes, in one municipality."""
    from sporskifte.councils.status import quarter_end, quarter_start

    programmes = list(
        Programme.objects.filter(police_district_id=district_id).values_list("pk", flat=True)
    )
    period = Period.between(quarter_start(year, quarter), quarter_end(year, quarter), "quarter")
    counts, _ = rollup.totals(programmes, Filters(period=period, municipality=municipality.pk), [])
    offered, yes = counts.get("offered", 0), counts.get("yes", 0)
    if offered == 0:
        return Figure(None)
    shown, _total = suppress_list({"yes": yes, "no": offered - yes})
    if any(is_hidden(v) for v in shown.values()):
        return Figure(None)
    return Figure((Decimal(100) * yes / offered).quantize(Decimal("0.1")))


FEEDS = {"referral_uptake": referral_uptake}


def counted(
    feed: str, district_id: int, municipality: Municipality, year: int, quarter: int
) -> Figure:
    """A count from another app's feed (``settings.COUNCIL_FEEDS``); 1 to 4 is withheld."""
    from sporskifte.councils.status import quarter_end, quarter_start

    count_in = import_string(settings.COUNCIL_FEEDS[feed])
    n = int(
        count_in(
            district_id, municipality.pk, quarter_start(year, quarter), quarter_end(year, quarter)
        )
    )
    return Figure(None if 0 < n < THRESHOLD else Decimal(n))


def figure(
    feed: str, district_id: int, municipality: Municipality, year: int, quarter: int
) -> Figure:
    if feed in FEEDS:
        return FEEDS[feed](district_id, municipality, year, quarter)
    return counted(feed, district_id, municipality, year, quarter)
