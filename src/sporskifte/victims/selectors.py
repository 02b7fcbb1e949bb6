"""Reads of victim support, scoped to the acting user.

The unit's advisers see the referrals sent to their unit and nothing else; the police see only
counts (a victim's contact with victim support never flows back to the case). Missing and
forbidden are both 404.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from sporskifte.accounts.access import membership_of, police_district_of
from sporskifte.accounts.models import Role
from sporskifte.core.access import get_or_404
from sporskifte.insights.audiences import POLICE_MIN_BASE
from sporskifte.insights.suppression import WITHHELD, Shown, suppress_nested
from sporskifte.organisations.models import Organisation
from sporskifte.victims.models import CrimeCategory, Information, MonthlyCount, VictimReferral

if TYPE_CHECKING:
    from sporskifte.accounts.models import User


def victim_unit_of(user: User) -> Organisation | None:
    m = membership_of(user)
    if m is None or m.role != Role.VICTIM_ADVISER:
        return None
    if m.organisation.kind != Organisation.Kind.VICTIM_SUPPORT:
        return None
    return m.organisation


def victim_referrals_for_user(user: User) -> QuerySet[VictimReferral]:
    unit = victim_unit_of(user)
    if unit is None:
        return VictimReferral.objects.none()
    return VictimReferral.objects.filter(unit=unit).select_related("information")


def victim_referral_for_user(user: User, pk: object) -> VictimReferral:
    return get_or_404(victim_referrals_for_user(user), pk)


def figures_district_of(user: User) -> int | None:
    """Whose figures the user reads: the police their district's, the unit its district's."""
    unit = victim_unit_of(user)
    if unit is not None:
        return unit.parent_id
    return police_district_of(user)


STEPS = ("informed", "consented", "contacted")
THRESHOLD = 5


def district_figures(
    district_id: int, year: int, *, for_police: bool
) -> list[tuple[str, dict[str, Shown]]]:
    """Victims informed, consented and contacted, per crime category, each category a nested
    chain protected as published funnels are (a small step, or a small difference between two
    steps, is hidden): the police must not learn from a cell whether one victim called back.
    No total across categories is shown, so no hidden cell can be had by subtraction."""
    rows: dict[str, dict[str, int]] = {
        str(r["category"]): {step: int(r[step]) for step in STEPS}  # type: ignore[literal-required]
        for r in Information.objects.filter(district_id=district_id, informed_on__year=year)
        .values("category")
        .annotate(
            informed=Count("pk"),
            consented=Count("pk", filter=Q(consented=True)),
            contacted=Count("pk", filter=Q(referral__contacted_at__isnull=False)),
        )
    }
    chains = [
        [((c, step), rows[c][step]) for step in STEPS] for c in CrimeCategory.values if c in rows
    ]
    shown = suppress_nested(chains)
    if for_police:
        # The police know whom they informed, so a contacted figure that can move tells them
        # about their own victims: "0" of the one who consented and then "<5" is that victim
        # contacted (``test_attack_figures``). They see it only where the consenting group is
        # large and neither those contacted nor those not yet contacted are fewer than five.
        for c, counts in rows.items():
            not_contacted = counts["consented"] - counts["contacted"]
            if (
                counts["consented"] < POLICE_MIN_BASE
                or counts["contacted"] < THRESHOLD
                or not_contacted < THRESHOLD
            ):
                shown[(c, "contacted")] = WITHHELD
    labels = dict(CrimeCategory.choices)
    return [
        (str(labels[c]), {step: shown[(c, step)] for step in STEPS})
        for c in CrimeCategory.values
        if c in rows
    ]


def monthly_counts(unit: Organisation, month: dt.date) -> dict[tuple[str, str], int]:
    return {
        (c.category, c.channel): c.conversations
        for c in MonthlyCount.objects.filter(unit=unit, month=month)
    }
