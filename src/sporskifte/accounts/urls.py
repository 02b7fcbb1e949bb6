from django.urls import path

from sporskifte.accounts import views

app_name = "accounts"
urlpatterns = [
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("log-ud/", views.logout, name="logout"),
    path("kode/", views.verify, name="verify"),
    path("laas-op/", views.unlock_self, name="unlock_self"),
    path("opsaet-kode/", views.setup_mfa, name="setup_mfa"),
    path("brugere/", views.user_list, name="user_list"),
    path(
        "brugere/<int:pk>/nulstil-kode/",
        views.user_second_factor_reset_view,
        name="user_second_factor_reset",
    ),
    path("brugere/<int:pk>/ophaev-spaerring/", views.user_unlock_view, name="user_unlock"),
    path("api-noegler/", views.api_token_list, name="api_token_list"),
    path(
        "api-noegler/anmodninger/<int:pk>/godkend/",
        views.api_token_request_approve_view,
        name="api_token_request_approve",
    ),
    path("api-noegler/<int:pk>/tilbagekald/", views.api_token_revoke_view, name="api_token_revoke"),
]
