from django.urls import path

from sporskifte.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<uuid:pk>/koer-igen/", views.job_retry_view, name="job_retry"),
]
