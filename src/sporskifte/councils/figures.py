"""Indicators fed by Sporskifte's own figures, read from the referral rollup the insights app
reads (``insights.rollup``), and protected as the council's figures pages protect them
(``insights.protection``): a rate is worked out from the rounded counts, never the exact ones.

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
from sporskifte.insights.protection import Cell, rounded
from sporskifte.insights.selectors import Filters, Period
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
    return uptake_of(counts)


def uptake_of(counts: dict[str, int]) -> Figure:
    """The share who said yes, worked out from the protected counts (``insights.protection``,
    the cell keys the rollup keeps) that the council's own figures pages show for the same
    municipality and quarter. From the exact counts, the rate would give back the exact count
    behind a rounded figure (7 of 12 is 58.3 %, and only 12 fits a shown 10 or 15), and with it
    the hidden cells beside it."""
    offered = rounded(Cell(counts.get("offered", 0), counts.get("key_offered", 0)))
    yes = rounded(Cell(counts.get("yes", 0), counts.get("key_yes", 0)))
    if offered == 0 or yes > offered:
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
