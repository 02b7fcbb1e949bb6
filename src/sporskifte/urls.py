from django.contrib import admin
from django.urls import include, path

# Refused is answered as missing (core.errors).
handler403 = "sporskifte.site.views.refused_as_not_found"

urlpatterns = [
    path("", include("sporskifte.site.urls")),
    path("konto/", include("sporskifte.accounts.urls")),
    path("henvisninger/", include("sporskifte.referrals.urls")),
    path("log/", include("sporskifte.auditlog.urls")),
    path("baggrundsjob/", include("sporskifte.jobs.urls")),
    path("tal/", include("sporskifte.insights.urls")),
    path("forskning/", include("sporskifte.research.urls")),
    path("fora/", include("sporskifte.fora.urls")),
    path("bekymring/", include("sporskifte.concerns.urls")),
    path("raad/", include("sporskifte.councils.urls")),
    path("samarbejdsplan/", include("sporskifte.councils.public_urls")),
    path("socialsoeg/", include("sporskifte.screening.urls")),
    path("maegling/", include("sporskifte.mediation.urls")),
    path("api/", include("sporskifte.api.urls")),
    path("", include("sporskifte.outreach.urls")),
    path("offerraadgivning/", include("sporskifte.victims.urls")),
    path("exit/", include("sporskifte.exit.urls")),
    path("saml/", include("sporskifte.saml.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
