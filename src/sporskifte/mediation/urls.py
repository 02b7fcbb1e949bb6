from django.urls import path

from sporskifte.mediation import figures_views, settings_views, views

app_name = "mediation"
urlpatterns = [
    path("", views.home, name="home"),
    path("koe/", views.queue, name="queue"),
    path("mine/", views.my_cases, name="my_cases"),
    path("forslag/nyt/", views.proposal_new, name="proposal_new"),
    path("forslag/", views.proposals_sent, name="proposals_sent"),
    path("politi/", views.police_list, name="police_list"),
    path("aklagare/", views.prosecutor_list, name="prosecutor_list"),
    path("politi/<int:pk>/", views.police_detail, name="police_detail"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/tilfredshed/link/", views.satisfaction_link, name="satisfaction_link"),
    path("<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    path("moeder/<int:pk>/aflys/", views.meeting_cancel, name="meeting_cancel"),
    path("breve/<int:pk>/pdf/", views.letter_download, name="letter_download"),
    path("svar/<str:token>/", views.satisfaction_answer, name="satisfaction_answer"),
    path("indstillinger/", settings_views.settings_page, name="settings"),
    path("indstillinger/opbevaring/", settings_views.retention_save, name="retention_save"),
    path("indstillinger/samtykke/", settings_views.consent_text_save, name="consent_text_save"),
    path("tal/", figures_views.figures, name="figures"),
    path("tal/landet/", figures_views.national, name="national"),
    path("tal/landet.csv", figures_views.national_csv, name="national_csv"),
    path("tal/landet.xlsx", figures_views.national_xlsx, name="national_xlsx"),
    path("tal.csv", figures_views.figures_csv, name="figures_csv"),
    path("tal.xlsx", figures_views.figures_xlsx, name="figures_xlsx"),
]
