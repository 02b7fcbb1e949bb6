from django.urls import path

from sporskifte.exit import views

app_name = "exit"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("ny/", views.case_new, name="case_new"),
    path("eksport.csv", views.export, name="export"),
    path("tal/", views.figures, name="figures"),
    path("overdragelse/<int:pk>/", views.handover_take, name="handover_take"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/adresse/", views.address, name="address"),
    path("<int:pk>/milepael/<int:milestone>/", views.milestone_reach, name="milestone_reach"),
    path(
        "<int:pk>/<str:what>/",
        views.case_action,
        name="case_action",
    ),
]
