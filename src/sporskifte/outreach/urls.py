from django.urls import path

from sporskifte.outreach import feeds, school_views, views

app_name = "outreach"

# Public pages sit under /offentlig/, which needs no log-in; the unit's pages under /forebyggelse/.
urlpatterns = [
    path("offentlig/advarsler/", views.public_index, name="public_index"),
    path("offentlig/advarsler/<slug:slug>/", views.public_warnings, name="public_warnings"),
    path("offentlig/advarsler/<slug:slug>/feed.atom", feeds.WarningFeed(), name="warning_feed"),
    path("offentlig/bestil-en-betjent/", views.visit_request_new, name="visit_request_new"),
    path(
        "offentlig/bestil-en-betjent/tak/", views.visit_request_thanks, name="visit_request_thanks"
    ),
    path(
        "offentlig/bestil-en-betjent/bekraeft/<str:token>/",
        views.visit_request_confirm,
        name="visit_request_confirm",
    ),
    path("offentlig/skolekontakt/", school_views.link_request, name="school_link_request"),
    path("offentlig/skolekontakt/meld/<str:token>/", school_views.report, name="school_report"),
    path(
        "offentlig/skolekontakt/kvittering/<str:token>/",
        school_views.receipt,
        name="school_receipt",
    ),
    path("forebyggelse/skoler/", school_views.contact_points, name="contact_points"),
    path(
        "forebyggelse/skoler/henvendelser/", school_views.concern_list, name="school_concern_list"
    ),
    path(
        "forebyggelse/skoler/henvendelser/<int:pk>/",
        school_views.concern_detail,
        name="school_concern_detail",
    ),
    path("forebyggelse/advarsler/", views.warning_list, name="warning_list"),
    path("forebyggelse/advarsler/ny/", views.warning_new, name="warning_new"),
    path("forebyggelse/advarsler/<int:pk>/", views.warning_detail, name="warning_detail"),
    path(
        "forebyggelse/advarsler/<int:pk>/offentliggoer/",
        views.warning_publish,
        name="warning_publish",
    ),
    path(
        "forebyggelse/advarsler/<int:pk>/tilbagekald/",
        views.warning_withdraw,
        name="warning_withdraw",
    ),
    path("forebyggelse/besoeg/", views.visit_request_list, name="visit_request_list"),
    path("forebyggelse/besoeg/tal/", views.visit_request_figures, name="visit_request_figures"),
    path("forebyggelse/besoeg/<int:pk>/", views.visit_request_detail, name="visit_request_detail"),
    path(
        "forebyggelse/besoeg/<int:pk>/tildel/",
        views.visit_request_assign,
        name="visit_request_assign",
    ),
    path(
        "forebyggelse/besoeg/<int:pk>/foreslaa/",
        views.visit_request_propose,
        name="visit_request_propose",
    ),
    path(
        "forebyggelse/besoeg/<int:pk>/afslut/",
        views.visit_request_close,
        name="visit_request_close",
    ),
]
