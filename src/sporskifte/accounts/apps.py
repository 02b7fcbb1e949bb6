from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    name = "sporskifte.accounts"

    def ready(self) -> None:
        from sporskifte.accounts.checks import (
            check_demo_not_in_production,
            check_mfa_required_in_production,
        )

        checks.register(check_demo_not_in_production, checks.Tags.security)
        checks.register(check_mfa_required_in_production, checks.Tags.security, deploy=True)
