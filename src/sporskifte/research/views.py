"""Research project pages: district administrators manage and approve, researchers download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.forms import add_service_errors
from sporskifte.core.replica import reads_from_replica
from sporskifte.research import catalogue, exports, overlap, selectors, services
from sporskifte.research.forms import ResearchProjectForm
from sporskifte.research.models import ResearchProject

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _admin_district(request: AuthenticatedHttpRequest) -> int:
    district = selectors.admin_district_of(request.user)
    if district is None:
        raise Http404
    return district


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    is_admin = selectors.admin_district_of(request.user) is not None
    if not is_admin and not selectors.is_researcher(request.user):
        raise Http404
    projects = selectors.research_projects_for_user(request.user)
    return render(
        request,
        "research/project_list.html",
        {"projects": projects, "is_admin": is_admin},
    )


def _form_view(
    request: AuthenticatedHttpRequest, district: int, project: ResearchProject | None
) -> HttpResponse:
    initial = {}
    if project is not None:
        initial = {"approved_fields": project.approved_fields}
    form = ResearchProjectForm(
        request.POST or None, instance=project, initial=initial, police_district_id=district
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        programmes, researchers = list(d.pop("programmes")), list(d.pop("researchers"))
        try:
            if project is None:
                project = services.research_project_create(
                    actor=request.user, programmes=programmes, researchers=researchers, **d
                )
                messages.success(request, _("The project is saved. Approve it when it is ready."))
            else:
                was_approved = project.is_approved
                project = services.research_project_update(
                    actor=request.user,
                    project=project,
                    programmes=programmes,
                    researchers=researchers,
                    **d,
                )
                messages.success(
                    request,
                    _("The project is saved. The change withdrew the approval: approve it again.")
                    if was_approved
                    else _("The project is saved."),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("research:project_detail", pk=project.pk)
    return render(request, "research/project_form.html", {"form": form, "project": project})


@login_required
def project_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _form_view(request, _admin_district(request), None)


@login_required
def project_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    district = _admin_district(request)
    return _form_view(request, district, selectors.research_project_for_admin(request.user, pk))


@login_required
def project_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.research_project_for_user(request.user, pk)
    is_admin = selectors.admin_district_of(request.user) is not None
    return render(
        request,
        "research/project_detail.html",
        {
            "finer_detail": overlap.finer_detail_labels(project) if is_admin else [],
            "overlaps": overlap.earlier_overlaps(project) if is_admin else [],
            "project": project,
            "programmes": project.programmes.all(),
            "researchers": project.researchers.select_related("membership__organisation"),
            "columns": catalogue.ordered(project.approved_fields),
            "refusal": services.extract_refusal(project),
            "is_admin": is_admin,
            "is_researcher": selectors.is_researcher(request.user),
        },
    )


@login_required
@require_POST
def project_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.research_project_for_admin(request.user, pk)
    try:
        services.research_project_approve(actor=request.user, project=project)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The project is approved. Its researchers can download."))
    return redirect("research:project_detail", pk=project.pk)


@login_required
@reads_from_replica
def extract_download(request: AuthenticatedHttpRequest, pk: int, file_format: str) -> HttpResponse:
    project = selectors.research_project_for_researcher(request.user, pk)
    try:
        extract = services.research_extract_build(
            actor=request.user, project=project, file_format=file_format
        )
    except services.ExtractUnavailable as exc:
        return render(
            request,
            "research/refused.html",
            {"project": project, "reason": exc.args[0]},
            status=403,
        )
    name = f"forskningsprojekt-{project.pk}-udtraek"
    if file_format == "xlsx":
        return _file(exports.extract_xlsx(extract), XLSX, f"{name}.xlsx")
    return _file(exports.extract_csv(extract), "text/csv; charset=utf-8", f"{name}.csv")


@login_required
def dictionary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.research_project_for_user(request.user, pk)
    return render(
        request,
        "research/dictionary.html",
        {
            "project": project,
            "rows": exports.dictionary_rows(project),
            "programmes": project.programmes.all(),
        },
    )


@login_required
def dictionary_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = selectors.research_project_for_user(request.user, pk)
    return _file(
        exports.dictionary_csv(project),
        "text/csv; charset=utf-8",
        f"forskningsprojekt-{project.pk}-dataordbog.csv",
    )
