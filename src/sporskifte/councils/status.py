"""Quarterly status per indicator and municipality, the red flags, and the owners' reminders.

A focus area's flag for a quarter is the worst of its indicators' statuses in the municipalities
it covers; a status not entered once the quarter has ended counts as red, and its owner is
reminded (``notices.status_missing``, after the commit).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.councils import notices, selectors
from sporskifte.councils.models import FocusArea, Indicator, IndicatorStatus, Plan
from sporskifte.organisations.models import Municipality

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

RAG_ORDER = {IndicatorStatus.Rag.GREEN: 0, IndicatorStatus.Rag.AMBER: 1, IndicatorStatus.Rag.RED: 2}


def quarter_end(year: int, quarter: int) -> dt.date:
    return dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_is_due(year: int, quarter: int, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) >= quarter_end(year, quarter)


def rag_for(indicator: Indicator, value: Decimal) -> str:
    """Green at or beyond the target, amber between baseline and target, red short of baseline."""
    up = indicator.direction == Indicator.Direction.UP
    beyond = (lambda a, b: a >= b) if up else (lambda a, b: a <= b)
    if beyond(value, indicator.target):
        return IndicatorStatus.Rag.GREEN
    if beyond(value, indicator.baseline):
        return IndicatorStatus.Rag.AMBER
    return IndicatorStatus.Rag.RED


@transaction.atomic
def status_enter(
    *,
    actor: User,
    indicator: Indicator,
    municipality: Municipality,
    year: int,
    quarter: int,
    value: Decimal | None,
    rag: str,
    comment: str = "",
) -> IndicatorStatus:
    plan = indicator.focus_area.plan
    if not selectors.can_enter_status(actor, plan, municipality.pk):
        raise PermissionDenied
    if plan.state not in (Plan.State.PUBLISHED, Plan.State.APPROVED, Plan.State.DISCUSSED):
        raise ValidationError(_("Status is entered for a plan in force, not for a draft."))
    if year != plan.year or quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Choose a quarter of the plan's year."))
    if not indicator.focus_area.municipalities.filter(pk=municipality.pk).exists():
        raise ValidationError(_("The focus area does not cover that municipality."))
    if indicator.feed:
        raise ValidationError(_("This indicator is fed by Sporskifte's own figures."))
    return _store(actor, indicator, municipality, year, quarter, value, rag, comment)


def _store(
    actor: User | None,
    indicator: Indicator,
    municipality: Municipality,
    year: int,
    quarter: int,
    value: Decimal | None,
    rag: str,
    comment: str,
) -> IndicatorStatus:
    try:
        with transaction.atomic():
            status = IndicatorStatus.objects.create(
                indicator=indicator,
                municipality=municipality,
                year=year,
                quarter=quarter,
                value=value,
                rag=rag,
                comment=comment,
                entered_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("The status for %(municipality)s in Q%(quarter)d %(year)d is already entered.")
            % {"municipality": municipality.name, "quarter": quarter, "year": year}
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="indicator_status",
        object_id=status.pk,
        purpose="indicator_status_entered",
        detail={"indicator": indicator.pk, "year": year, "quarter": quarter},
    )
    return status


@dataclass
class Flag:
    focus_area: FocusArea
    rag: str
    missing: list[tuple[Indicator, Municipality]]


def flags(plan: Plan, quarter: int, today: dt.date | None = None) -> list[Flag]:
    """Each focus area's flag for a quarter of the plan's year, in three queries."""
    areas = list(plan.focus_areas.prefetch_related("municipalities", "indicators"))
    statuses = {
        (s.indicator_id, s.municipality_id): s.rag
        for s in IndicatorStatus.objects.filter(
            indicator__focus_area__plan=plan, year=plan.year, quarter=quarter
        ).only("indicator_id", "municipality_id", "rag")
    }
    due = quarter_is_due(plan.year, quarter, today)
    out = []
    for area in areas:
        worst: str = IndicatorStatus.Rag.GREEN
        missing: list[tuple[Indicator, Municipality]] = []
        for indicator in area.indicators.all():
            for municipality in area.municipalities.all():
                rag = statuses.get((indicator.pk, municipality.pk))
                if rag is None:
                    if due:
                        missing.append((indicator, municipality))
                        rag = IndicatorStatus.Rag.RED
                    else:
                        continue
                if RAG_ORDER[IndicatorStatus.Rag(rag)] > RAG_ORDER[IndicatorStatus.Rag(worst)]:
                    worst = rag
        out.append(Flag(area, worst, missing))
    return out


def reminders_send(plan: Plan, quarter: int, today: dt.date | None = None) -> int:
    """Remind each focus area's owner of the statuses missing for a quarter that has ended."""
    missing = [f for f in flags(plan, quarter, today) if f.missing]
    for flag in missing:
        notices.status_missing(flag.focus_area.pk, plan.year, quarter, len(flag.missing))
    return len(missing)


def fed_statuses_update(plan: Plan, quarter: int, today: dt.date | None = None) -> int:
    """Statuses of indicators fed by Sporskifte's own figures, for a quarter that has ended and
    has none yet. Written by the system (no actor); run by ``manage.py councils_status`` and on
    the status page."""
    from sporskifte.councils import figures  # the figures read the referral rollup

    if not quarter_is_due(plan.year, quarter, today):
        return 0
    written = 0
    indicators = Indicator.objects.filter(focus_area__plan=plan).exclude(feed="")
    for indicator in indicators.prefetch_related("focus_area__municipalities"):
        have = set(
            IndicatorStatus.objects.filter(
                indicator=indicator, year=plan.year, quarter=quarter
            ).values_list("municipality_id", flat=True)
        )
        for municipality in indicator.focus_area.municipalities.all():
            if municipality.pk in have:
                continue
            figure = figures.figure(
                indicator.feed, plan.council.police_district_id, municipality, plan.year, quarter
            )
            if figure.value is None:
                rag: str
                rag, comment = IndicatorStatus.Rag.AMBER, _("Withheld: fewer than 5 in a group.")
            else:
                rag, comment = rag_for(indicator, figure.value), ""
            with transaction.atomic():
                _store(
                    None, indicator, municipality, plan.year, quarter, figure.value, rag, comment
                )
            written += 1
    return written


STATUS_COLUMNS = ("indikator", "kommunekode", "vaerdi", "status", "kommentar")
RAG_WORDS: dict[str, str] = {
    "groen": IndicatorStatus.Rag.GREEN,
    "grøn": IndicatorStatus.Rag.GREEN,
    "green": IndicatorStatus.Rag.GREEN,
    "gul": IndicatorStatus.Rag.AMBER,
    "amber": IndicatorStatus.Rag.AMBER,
    "roed": IndicatorStatus.Rag.RED,
    "rød": IndicatorStatus.Rag.RED,
    "red": IndicatorStatus.Rag.RED,
}


def status_template(plan: Plan, quarter: int) -> str:
    """A CSV with one row per hand-entered indicator and municipality still missing a status for
    the quarter: the file a focus-area owner fills in and loads back."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([*STATUS_COLUMNS, "definition", "kommune"])
    for flag in flags(plan, quarter):
        for indicator, municipality in flag.missing:
            if not indicator.feed:
                writer.writerow(
                    [
                        indicator.pk,
                        municipality.code,
                        "",
                        "",
                        "",
                        indicator.definition,
                        municipality.name,
                    ]
                )
    return out.getvalue()


@transaction.atomic
def statuses_import(*, actor: User, plan: Plan, quarter: int, data: str) -> int:
    """Load a quarter's statuses from CSV (``status_template``'s columns): every row checked as
    one entered by hand, all or nothing, each error with its row and column. An empty status is
    worked out from the value against the indicator's baseline and target."""
    reader = csv.DictReader(io.StringIO(data), delimiter=";")
    missing = [c for c in STATUS_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(_("Columns missing: %(columns)s") % {"columns": ", ".join(missing)})
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(focus_area__plan=plan).select_related("focus_area__plan")
    }
    municipalities = {
        m.code: m
        for m in Municipality.objects.filter(police_district_id=plan.council.police_district_id)
    }
    errors: list[str] = []
    stored = 0
    for number, raw in enumerate(reader, start=2):

        def bad(column: str, message: str, number: int = number) -> None:
            errors.append(
                _("Row %(row)d, column %(column)s: %(message)s")
                % {"row": number, "column": column, "message": message}
            )

        try:
            indicator = indicators[int((raw["indikator"] or "").strip())]
        except (KeyError, ValueError):
            bad("indikator", _("not an indicator of this plan"))
            continue
        municipality = municipalities.get((raw["kommunekode"] or "").strip().zfill(4))
        if municipality is None:
            bad("kommunekode", _("not a municipality of the police district"))
            continue
        value_text = (raw["vaerdi"] or "").strip().replace(",", ".")
        try:
            value = Decimal(value_text) if value_text else None
        except InvalidOperation:
            bad("vaerdi", _("not a number"))
            continue
        rag_text = (raw["status"] or "").strip().lower()
        rag: str
        if rag_text:
            if rag_text not in RAG_WORDS:
                bad("status", _("write grøn, gul or rød"))
                continue
            rag = RAG_WORDS[rag_text]
        elif value is not None:
            rag = rag_for(indicator, value)
        else:
            bad("status", _("give a value or a status"))
            continue
        try:
            with transaction.atomic():
                status_enter(
                    actor=actor,
                    indicator=indicator,
                    municipality=municipality,
                    year=plan.year,
                    quarter=quarter,
                    value=value,
                    rag=rag,
                    comment=(raw["kommentar"] or "").strip()[:500],
                )
        except ValidationError as exc:
            bad("indikator", " ".join(exc.messages))
        else:
            stored += 1
    if errors:
        raise ValidationError(errors)
    return stored
