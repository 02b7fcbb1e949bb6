from django.urls import path

from sporskifte.concerns import views

app_name = "concerns"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("ny/", views.case_new, name="case_new"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/foraeldre/ny/", views.custody_holder_new, name="custody_holder_new"),
    path("<int:pk>/samtaler/ny/", views.conversation_new, name="conversation_new"),
    path("samtaler/<int:pk>/", views.conversation_edit, name="conversation_edit"),
    path("<int:pk>/breve/nyt/", views.letter_new, name="letter_new"),
    path("breve/<int:pk>/pdf/", views.letter_download, name="letter_download"),
    path("breve/<int:pk>/status/", views.letter_status, name="letter_status"),
]
