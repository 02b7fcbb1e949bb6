from django.urls import path

from sporskifte.victims import views

app_name = "victims"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("oplyst/", views.information_new, name="information_new"),
    path("maaned/", views.month, name="month"),
    path("tal/", views.figures, name="figures"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/status/", views.referral_move, name="referral_move"),
]
