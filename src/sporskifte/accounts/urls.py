from django.urls import path

from sporskifte.accounts import views

app_name = "accounts"
urlpatterns = [
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("log-ud/", views.logout, name="logout"),
    path("kode/", views.verify, name="verify"),
    path("opsaet-kode/", views.setup_mfa, name="setup_mfa"),
]
