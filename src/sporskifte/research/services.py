"""Writes for research projects, and the extract. Each function is atomic and writes its audit
row in the same transaction; callers pass everything by keyword.

Only a district administrator of the owning district creates, changes and approves a project.
Any change withdraws the approval: what the researchers may receive is exactly what was approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sporskifte.accounts.access import admin_district_of
from sporskifte.accounts.models import Role
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.core.errors import NotAllowed
from sporskifte.referrals.models import Programme
from sporskifte.research import catalogue
from sporskifte.research.models import ResearchProject
from sporskifte.research.pseudonyms import pseudonym
from sporskifte.research.selectors import extract_offers, is_researcher

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

PROJECT_FIELDS = (
    "title",
    "purpose",
    "period_from",
    "period_to",
    "approved_fields",
    "date_coarsening",
    "finer_detail_reason",
    "starts_on",
    "ends_on",
)


class ExtractUnavailable(NotAllowed):
    """The project exists and the user is on it, but no extract may be made now."""


def _require_admin_of(actor: User, district_id: int | None) -> int:
    district = admin_district_of(actor)
    if district is None or (district_id is not None and district != district_id):
        raise NotAllowed
    return district


def _validate(
    project: ResearchProject, programmes: list[Programme], researchers: list[User]
) -> None:
    errors: dict[str, str] = {}
    if not project.title.strip():
        errors["title"] = _("The title is required.")
    if not project.purpose.strip():
        errors["purpose"] = _("Describe the purpose of the project.")
    if not programmes:
        errors["programmes"] = _("Choose at least one programme.")
    elif any(p.police_district_id != project.police_district_id for p in programmes):
        errors["programmes"] = _("Only your own district's programmes can be included.")
    if not researchers:
        errors["researchers"] = _("Name at least one researcher.")
    else:
        ids = [u.pk for u in researchers]
        found = set(
            type(researchers[0])
            .objects.filter(pk__in=ids, membership__role=Role.RESEARCHER)
            .values_list("pk", flat=True)
        )
        if found != set(ids):
            errors["researchers"] = _("Only users with the researcher role can be named.")
    unknown = set(project.approved_fields) - set(catalogue.BY_KEY)
    if unknown or not project.approved_fields:
        errors["approved_fields"] = _("Choose at least one field from the catalogue.")
    if project.date_coarsening not in ResearchProject.Coarsening.values:
        errors["date_coarsening"] = _("Choose how dates are coarsened.")
    finer = catalogue.finer_detail(list(project.approved_fields), project.date_coarsening)
    if finer and not project.finer_detail_reason.strip():
        errors["finer_detail_reason"] = _(
            "The project asks for finer detail than months and age bands: say why it is needed."
        )
    if project.period_from and project.period_to and project.period_from > project.period_to:
        errors["period_to"] = _("The period ends before it starts.")
    if project.starts_on and project.ends_on:
        if project.starts_on > project.ends_on:
            errors["ends_on"] = _("The project ends before it starts.")
        elif project.ends_on < timezone.localdate():
            errors["ends_on"] = _("The end date has passed.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def research_project_create(
    *,
    actor: User,
    programmes: Iterable[Programme],
    researchers: Iterable[User],
    **fields: Any,
) -> ResearchProject:
    district = _require_admin_of(actor, None)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(", ".join(sorted(unknown)))
    programmes, researchers = list(programmes), list(researchers)
    project = ResearchProject(police_district_id=district, created_by=actor, **fields)
    project.approved_fields = list(project.approved_fields)
    _validate(project, programmes, researchers)
    project.save()
    project.programmes.set(programmes)
    project.researchers.set(researchers)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.RESEARCH_PROJECT,
        object_id=project.pk,
        purpose=AuditEvent.Purpose.RESEARCH_PROJECT_CREATED,
    )
    return project


@transaction.atomic
def research_project_update(
    *,
    actor: User,
    project: ResearchProject,
    programmes: Iterable[Programme],
    researchers: Iterable[User],
    **fields: Any,
) -> ResearchProject:
    _require_admin_of(actor, project.police_district_id)
    project = ResearchProject.objects.select_for_update().get(pk=project.pk)
    for name, value in fields.items():
        if name not in PROJECT_FIELDS:
            raise TypeError(name)
        setattr(project, name, value)
    project.approved_fields = list(project.approved_fields)
    programmes, researchers = list(programmes), list(researchers)
    _validate(project, programmes, researchers)
    was_approved = project.is_approved
    project.approved_by, project.approved_at = None, None
    project.save()
    project.programmes.set(programmes)
    project.researchers.set(researchers)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.RESEARCH_PROJECT,
        object_id=project.pk,
        purpose=AuditEvent.Purpose.RESEARCH_PROJECT_CHANGED,
        detail={"approval_withdrawn": was_approved},
    )
    return project


@transaction.atomic
def research_project_approve(*, actor: User, project: ResearchProject) -> ResearchProject:
    _require_admin_of(actor, project.police_district_id)
    project = ResearchProject.objects.select_for_update().get(pk=project.pk)
    if project.is_approved:
        raise ValidationError(_("The project is already approved."))
    _validate(project, list(project.programmes.all()), list(project.researchers.all()))
    project.approved_by, project.approved_at = actor, timezone.now()
    project.save(update_fields=["approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.RESEARCH_PROJECT,
        object_id=project.pk,
        purpose=AuditEvent.Purpose.RESEARCH_PROJECT_APPROVED,
        detail={"fields": project.approved_fields, "ends_on": project.ends_on.isoformat()},
    )
    return project


# The extract ----------------------------------------------------------------------------------


def extract_refusal(project: ResearchProject, today: dt.date | None = None) -> str | None:
    """Why no extract may be made today, in words for the researcher; None when it may."""
    today = today or timezone.localdate()
    if not project.is_approved:
        return _("The project has not been approved by the police district yet.")
    if today < project.starts_on:
        return _("The project starts on %(date)s; the extract is available from then.") % {
            "date": formats.date_format(project.starts_on)
        }
    if today > project.ends_on:
        return _(
            "The project ended on %(date)s. The extract is no longer available; ask the police "
            "district if the project needs to be extended."
        ) % {"date": formats.date_format(project.ends_on)}
    return None


@dataclass
class Extract:
    project: ResearchProject
    columns: list[str]
    rows: list[list[Any]]


def research_extract_build(*, actor: User, project: ResearchProject, file_format: str) -> Extract:
    """The pseudonymised rows for one download, audited as one EXPORT row.

    One audit row per download, not per person: the extract carries no identity, and a row per
    person would write person ids next to a researcher's name. The rows are read before the
    transaction that writes the audit row, so a download may read them from the replica
    (sporskifte.core.replica); the row is written before any byte is sent.
    """
    if not is_researcher(actor) or not project.researchers.filter(pk=actor.pk).exists():
        raise NotAllowed
    reason = extract_refusal(project)
    if reason:
        raise ExtractUnavailable(reason)
    columns = catalogue.ordered(project.approved_fields)
    level = project.date_coarsening
    rows = [
        [
            pseudonym(
                project_id=project.pk,
                salt=project.pseudonym_salt,
                person_id=row["person_id"],
                offer_id=row["pk"],
            ),
            *(c.compute(row, level) for c in columns),
        ]
        for row in extract_offers(project).iterator(chunk_size=2000)
    ]
    # Sorted by pseudonym so the row order says nothing about when anyone was registered.
    rows.sort(key=lambda r: r[0])
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEvent.Action.EXPORT,
            object_type=AuditEvent.ObjectType.RESEARCH_PROJECT,
            object_id=project.pk,
            purpose=AuditEvent.Purpose.RESEARCH_EXTRACT,
            legal_basis="forskning",
            detail={
                "title": project.title,
                "format": file_format,
                "rows": len(rows),
                "fields": [c.key for c in columns],
            },
            # The approving district answers for the extract as much as the researcher's
            # institution.
            responsible=[project.police_district_id],
        )
    return Extract(
        project=project, columns=[catalogue.PSEUDONYM, *(c.key for c in columns)], rows=rows
    )
