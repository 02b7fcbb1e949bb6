from django.urls import path

from sporskifte.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("tilbud/ny/", views.offer_new, name="offer_new"),
    path("tilbud/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("tilbud/<int:pk>/svar/", views.offer_answer, name="offer_answer"),
    path("tilbud/<int:pk>/kontakt/", views.offer_correct_contact, name="offer_correct_contact"),
    path("tilbud/<int:pk>/tilbagekald/", views.offer_withdraw, name="offer_withdraw"),
    path("tilbud/<int:pk>/haekte/", views.offer_detention, name="offer_detention"),
    path("tilbud/<int:pk>/anklager/", views.offer_consultation, name="offer_consultation"),
    path("tilbud/<int:pk>/paaroerende/", views.offer_relative, name="offer_relative"),
    path("sager/", views.case_list, name="case_list"),
    path("sager/ny/", views.case_new, name="case_new"),
    path("sager/<int:pk>/", views.case_detail, name="case_detail"),
    path("sager/<int:pk>/import/", views.case_import, name="case_import"),
    path(
        "sager/<int:pk>/import/<int:upload>/",
        views.case_import_status,
        name="case_import_status",
    ),
    path("sager/<int:pk>/sigtet/", views.case_add_suspect, name="case_add_suspect"),
    path("sager/skabelon.csv", views.case_import_template, name="case_import_template"),
    path("indbakke/", views.inbox, name="inbox"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/kontaktforsoeg/", views.referral_attempt, name="referral_attempt"),
    path("<int:pk>/trin/", views.referral_step, name="referral_step"),
    path("<int:pk>/notat/", views.referral_note, name="referral_note"),
    path("<int:pk>/tilbagekald/", views.referral_withdraw, name="referral_withdraw"),
    path("<int:pk>/opfoelgning/", views.referral_follow_up, name="referral_follow_up"),
    path("programmer/", views.programme_list, name="programme_list"),
    path("programmer/ny/", views.programme_new, name="programme_new"),
    path("programmer/<int:pk>/", views.programme_edit, name="programme_edit"),
]
