from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "sporskifte.screening"
    verbose_name = _("Screening and notifications")
