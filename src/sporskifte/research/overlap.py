"""What the approving district administrator is warned about before approving a project: finer
detail than the default, and people the project shares with the district's earlier projects.

Two extracts of the same people can be put side by side; the more detail each has, the more
rows can be matched one to one (issue 7). The number of people shared is shown protected like
published figures (``insights.protection``): rounded to 5, "<5" for 0 to 4.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from sporskifte.insights.protection import Cell, protect
from sporskifte.insights.suppression import Shown
from sporskifte.research import catalogue
from sporskifte.research.models import ResearchProject
from sporskifte.research.selectors import population


@dataclass(frozen=True)
class Overlap:
    project: ResearchProject
    people: Shown


def finer_detail_labels(project: ResearchProject) -> list[str]:
    labels = []
    for item in catalogue.finer_detail(project.approved_fields, project.date_coarsening):
        if item.startswith("dates:"):
            labels.append(
                _("dates by %(level)s") % {"level": project.get_date_coarsening_display().lower()}
            )
        else:
            labels.append(str(catalogue.BY_KEY[item].label))
    return labels


def earlier_overlaps(project: ResearchProject) -> list[Overlap]:
    """The district's earlier projects that share people with this one (one query each; a
    district has few projects). People whose data has been erased are no longer linked."""
    earlier = (
        ResearchProject.objects.filter(
            police_district_id=project.police_district_id, created_at__lt=project.created_at
        )
        .exclude(pk=project.pk)
        .order_by("created_at", "pk")
    )
    out = []
    for other in earlier:
        theirs = population(other).filter(person_id__isnull=False).values("person_id")
        shared = (
            population(project)
            .filter(person_id__in=theirs)
            .aggregate(people=Count("person_id", distinct=True), keys=Sum("record_key"))
        )
        if shared["people"]:
            out.append(Overlap(other, protect(Cell(shared["people"], shared["keys"] or 0))))
    return out
