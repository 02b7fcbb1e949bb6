from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.defaults import page_not_found

from sporskifte.accounts.access import membership_of
from sporskifte.accounts.models import POLICE_ROLES, Role
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.fora.selectors import takes_part_in_fora
from sporskifte.insights.selectors import insight_scope

# The roles of the apps built on the foundation, and the page each one's work starts on.
START_PAGES = {
    Role.MEDIATION_COORDINATOR: "mediation:queue",
    Role.MEDIATOR: "mediation:my_cases",
    Role.SCREENING_OFFICER: "screening:hit_list",
    Role.CHILD_SERVICES: "screening:inbox",
    Role.PREVENTION_SECRETARIAT: "councils:council_list",
    Role.VICTIM_ADVISER: "victims:inbox",
    Role.EXIT_COORDINATOR: "exit:case_list",
    Role.PROSECUTOR: "mediation:prosecutor_list",
}


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each role to where its work starts."""
    m = membership_of(request.user)
    if m is not None and m.role in START_PAGES:
        return redirect(START_PAGES[Role(m.role)])
    if m is not None and m.role in POLICE_ROLES:
        return redirect("referrals:overview")
    # Only partner staff have an inbox; municipal and regional staff work in the fora.
    if m is not None and m.role == Role.COUNSELLOR and m.organisation.is_partner:
        return redirect("referrals:inbox")
    if m is not None and m.role == Role.SYSTEM_ADMIN:
        return redirect("audit:search")
    if m is not None and m.role == Role.RESEARCHER:
        return redirect("research:project_list")
    if m is not None and m.role == Role.COUNCIL_MEMBER and insight_scope(request.user):
        return redirect("insights:report")
    # Municipal and regional staff (school, social services, psychiatry) work in the fora.
    if takes_part_in_fora(request.user):
        return redirect("fora:forum_list")
    return render(request, "core/home.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def licences(request: HttpRequest) -> HttpResponse:
    return render(request, "core/licences.html")


def refused_as_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler403``: a refusal (``core.errors.NotAllowed`` from a service, any
    ``PermissionDenied``) is answered like something missing, with the same page and status."""
    return page_not_found(request, Http404())
