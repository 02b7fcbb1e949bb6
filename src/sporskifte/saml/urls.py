from django.urls import path

from sporskifte.saml import views

app_name = "saml"
urlpatterns = [
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("acs/", views.AssertionConsumerServiceView.as_view(), name="acs"),
    path("log-ud/", views.LogoutInitView.as_view(), name="logout"),
    path("ls/", views.LogoutView.as_view(), name="ls"),
    path("ls/post/", views.LogoutView.as_view(), name="ls_post"),
    path("metadata/", views.MetadataView.as_view(), name="metadata"),
    path("beskeder/", views.message_list, name="message_list"),
]
