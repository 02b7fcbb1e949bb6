from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExitConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    # "exit" is a builtin's name, not a module's: the label is spelt out to be plain.
    name = "sporskifte.exit"
    label = "exit_programme"
    verbose_name = _("Exit programme (Bandeexit)")
