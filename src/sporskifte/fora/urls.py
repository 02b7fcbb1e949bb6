from django.urls import path

from sporskifte.fora import feed_views, meeting_views, views

app_name = "fora"
urlpatterns = [
    path("", views.forum_list, name="forum_list"),
    path("ny/", views.forum_new, name="forum_new"),
    path("<int:pk>/", views.forum_detail, name="forum_detail"),
    path("<int:pk>/rediger/", views.forum_edit, name="forum_edit"),
    path("<int:pk>/medlemmer/", views.forum_members, name="members"),
    path(
        "<int:pk>/medlemmer/<int:member_pk>/udmeld/",
        views.forum_member_remove,
        name="member_remove",
    ),
    path("<int:pk>/personer/ny/", views.person_new, name="person_new"),
    path("<int:pk>/moeder/ny/", meeting_views.meeting_new, name="meeting_new"),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    path("personer/<int:pk>/oplysning/", views.person_share, name="person_share"),
    path("personer/<int:pk>/forhold/", views.person_details, name="person_details"),
    path("personer/<int:pk>/samtykke/", views.consent_new, name="consent_new"),
    path("personer/<int:pk>/eskaler/", views.person_escalate, name="person_escalate"),
    path("personer/<int:pk>/eksport/", views.person_export, name="person_export"),
    path("samtykke/<int:pk>/tilbagekald/", views.consent_withdraw, name="consent_withdraw"),
    path("moeder/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("moeder/<int:pk>/rediger/", meeting_views.meeting_edit, name="meeting_edit"),
    path("moeder/<int:pk>/indkaldelse/", meeting_views.meeting_notice, name="meeting_notice"),
    path("moeder/<int:pk>/aflys/", meeting_views.meeting_cancel, name="meeting_cancel"),
    path("moeder/<int:pk>/afholdt/", meeting_views.meeting_close, name="meeting_close"),
    path("moeder/<int:pk>/dagsorden/", meeting_views.agenda_add, name="agenda_add"),
    path("moeder/<int:pk>/fremmoede/", meeting_views.attendance, name="attendance"),
    path("moeder/<int:pk>/referat/", meeting_views.minutes, name="minutes"),
    path("moeder/<int:pk>/handlinger/", meeting_views.action_new, name="action_new"),
    path("dagsorden/<int:pk>/fjern/", meeting_views.agenda_remove, name="agenda_remove"),
    path("handlinger/<int:pk>/status/", meeting_views.action_close, name="action_close"),
    path("kalender/", feed_views.calendar, name="calendar"),
    path("kalender/<str:key>.ics", feed_views.calendar_feed, name="calendar_feed"),
    path("tal/", feed_views.forum_counts, name="counts"),
]
