from django.urls import path

from sporskifte.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.hit_list, name="hit_list"),
    path("fund/<int:pk>/", views.hit_detail, name="hit_detail"),
    path("koersler/", views.run_list, name="run_list"),
    path("regler/", views.rule_list, name="rule_list"),
    path("import/", views.import_file, name="import"),
    path("import/<int:pk>/", views.import_status, name="import_status"),
    path("underretninger/", views.notification_list, name="notification_list"),
    path("underretninger/ny/", views.notification_new, name="notification_new"),
    path("underretninger/<int:pk>/", views.notification_detail, name="notification_detail"),
    path("underretninger/<int:pk>/pdf/", views.notification_pdf, name="notification_pdf"),
    path("modtaget/", views.inbox, name="inbox"),
    path("tal/", views.figures, name="figures"),
    path("tal/eksport.<str:fmt>", views.figures_export, name="figures_export"),
]
