from django.urls import path

from sporskifte.research import views

app_name = "research"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("ny/", views.project_new, name="project_new"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/rediger/", views.project_edit, name="project_edit"),
    path("<int:pk>/godkend/", views.project_approve, name="project_approve"),
    path(
        "<int:pk>/udtraek.csv", views.extract_download, {"file_format": "csv"}, name="extract_csv"
    ),
    path(
        "<int:pk>/udtraek.xlsx",
        views.extract_download,
        {"file_format": "xlsx"},
        name="extract_xlsx",
    ),
    path("<int:pk>/dataordbog/", views.dictionary, name="dictionary"),
    path("<int:pk>/dataordbog.csv", views.dictionary_csv, name="dictionary_csv"),
]
