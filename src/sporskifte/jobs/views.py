from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sporskifte.accounts.selectors import may_manage_users
from sporskifte.core.access import get_or_404
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.jobs import selectors, services


def _require_system_admin(request: AuthenticatedHttpRequest) -> None:
    if not may_manage_users(request.user):
        raise Http404


@never_cache
@login_required
@require_http_methods(["GET"])
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_system_admin(request)
    return render(
        request,
        "jobs/job_list.html",
        {
            "by_status": selectors.jobs_by_status(request.user),
            "limit": selectors.LIST_LIMIT,
            "lag": int(selectors.oldest_queued_age().total_seconds()),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def job_retry_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    _require_system_admin(request)
    job = get_or_404(selectors.job_failed_for_admin(request.user), pk)
    if request.method == "POST":
        try:
            services.job_retry(actor=request.user, job=job)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The job is queued again with its original input."))
        return redirect("jobs:job_list")
    return render(
        request,
        "jobs/job_retry_confirm.html",
        {"job": job, "what": selectors.job_describe(job)},
    )
