from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sporskifte.accounts.models import POLICE_ROLES, Role
from sporskifte.core.access import membership_of
from sporskifte.core.auth import AuthenticatedHttpRequest


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each role to where its work starts."""
    m = membership_of(request.user)
    if m is not None and m.role in POLICE_ROLES:
        return redirect("referrals:overview")
    # Only partner staff have an inbox; municipal and regional staff work in the fora.
    if m is not None and m.role == Role.COUNSELLOR and m.organisation.is_partner:
        return redirect("referrals:inbox")
    if m is not None and m.role == Role.SYSTEM_ADMIN:
        return redirect("audit:search")
    return render(request, "core/home.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def licences(request: HttpRequest) -> HttpResponse:
    return render(request, "core/licences.html")
