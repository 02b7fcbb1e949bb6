from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("sporskifte.core.urls")),
    path("konto/", include("sporskifte.accounts.urls")),
    path("henvisninger/", include("sporskifte.referrals.urls")),
    path("log/", include("sporskifte.audit.urls")),
    path("tal/", include("sporskifte.insights.urls")),
    path("forskning/", include("sporskifte.research.urls")),
    path("fora/", include("sporskifte.fora.urls")),
    path("bekymring/", include("sporskifte.concerns.urls")),
    path("maegling/", include("sporskifte.mediation.urls")),
    path("api/", include("sporskifte.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
