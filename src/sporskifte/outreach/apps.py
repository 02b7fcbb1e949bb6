from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sporskifte.outreach"
    verbose_name = _("Outreach: public warnings and police visits")
