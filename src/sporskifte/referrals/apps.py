from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "sporskifte.referrals"
