from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sporskifte.victims"
    verbose_name = _("Referral to victim support")
