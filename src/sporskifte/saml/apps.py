from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class SamlConfig(AppConfig):
    name = "sporskifte.saml"
    label = "saml"
    verbose_name = _("SAML log-in")

    def ready(self) -> None:
        from sporskifte.saml.checks import check_saml_key_files

        checks.register(check_saml_key_files)
