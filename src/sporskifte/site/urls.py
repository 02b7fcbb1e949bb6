from django.urls import path

from sporskifte.site import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("tilgaengelighed/persondata/", views.privacy, name="privacy"),
    path("tilgaengelighed/licenser/", views.licences, name="licences"),
]
