from django.urls import path

from sporskifte.councils import draft_views, feed, views

app_name = "councils"
urlpatterns = [
    path("", views.council_list, name="council_list"),
    path("<int:pk>/", views.council_detail, name="council_detail"),
    path("medlem/<int:pk>/", views.member_detail, name="member_detail"),
    path("moede/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("plan/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plan/<slug:kind>/<int:pk>/ret/", draft_views.plan_part, name="plan_part"),
    path("plan/<int:pk>/aendringer/", views.plan_changes, name="plan_changes"),
    path("plan/<int:pk>/status/", views.plan_status, name="plan_status"),
    path(
        "plan/<int:pk>/status/skabelon.csv", views.plan_status_template, name="plan_status_template"
    ),
    path("plan/<int:pk>/aarsrapport/", views.plan_report, name="plan_report"),
    path("plan/<int:pk>/aarsrapport.pdf", views.plan_report, {"pdf": True}, name="plan_report_pdf"),
    path("plan/<int:pk>/input/", views.year_end_input, name="year_end_input"),
    path("omraader/", views.area_register, name="areas"),
    path("kalender/<str:key>.ics", feed.calendar_feed, name="calendar_feed"),
]
