from django.urls import path

from sporskifte.auditlog import views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("indsigt/", views.subject_extract, name="subject_extract"),
]
