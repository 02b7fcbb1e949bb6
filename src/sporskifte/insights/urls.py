from django.urls import path

from sporskifte.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.report, name="report"),
    path("eksport/", views.export, name="export"),
    path("offentlig/", views.public_index, name="public_index"),
    path("offentlig/<int:pk>/", views.public, name="public"),
]
