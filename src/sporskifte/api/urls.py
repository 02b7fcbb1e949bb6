"""Version 1 of the API, under the namespace ``v1`` (NamespaceVersioning)."""

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from sporskifte.api.views import changes, police, programmes, records, referrals
from sporskifte.api.views.not_found import NotFoundView

v1: list[URLPattern | URLResolver] = [
    # The schema holds no data: readable without a token, and a bad token does not block it.
    # Not throttled: without a token the throttle keys on the address, which behind the proxy is
    # the proxy's for everyone, and counting it would write the shared cache on every fetch.
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], throttle_classes=[]),
        name="schema",
    ),
    path("referrals/", referrals.ReferralList.as_view(), name="referral-list"),
    path("referrals/changes/", changes.ReferralChanges.as_view(), name="referral-changes"),
    path("referrals/<int:pk>/", referrals.ReferralDetail.as_view(), name="referral-detail"),
    path(
        "referrals/<int:pk>/contact-attempts/",
        records.ReferralContactAttempts.as_view(),
        name="referral-contact-attempts",
    ),
    path(
        "referrals/<int:pk>/contact-attempts/<int:attempt_id>/correct/",
        records.ContactAttemptCorrect.as_view(),
        name="contact-attempt-correct",
    ),
    path("referrals/<int:pk>/steps/", records.ReferralSteps.as_view(), name="referral-steps"),
    path(
        "referrals/<int:pk>/steps/<int:step_id>/correct/",
        records.OutcomeStepCorrect.as_view(),
        name="outcome-step-correct",
    ),
    path(
        "referrals/<int:pk>/withdraw-consent/",
        referrals.ReferralWithdrawConsent.as_view(),
        name="referral-withdraw-consent",
    ),
    path("cases/", police.CaseList.as_view(), name="case-list"),
    path("cases/<int:pk>/", police.CaseDetail.as_view(), name="case-detail"),
    path("offers/", police.OfferList.as_view(), name="offer-list"),
    path("offers/changes/", changes.OfferChanges.as_view(), name="offer-changes"),
    path("offers/<int:pk>/", police.OfferDetail.as_view(), name="offer-detail"),
    path("offers/<int:pk>/answer/", police.OfferAnswer.as_view(), name="offer-answer"),
    path(
        "offers/<int:pk>/withdraw-consent/",
        police.OfferWithdrawConsent.as_view(),
        name="offer-withdraw-consent",
    ),
    path("programmes/", programmes.ProgrammeList.as_view(), name="programme-list"),
    path("insights/", include("sporskifte.insights.api")),
    path("mediation/", include("sporskifte.mediation.api")),
]

urlpatterns = [
    path("v1/", include((v1, "v1"))),
    re_path(r"", NotFoundView.as_view(), name="not-found"),
]
