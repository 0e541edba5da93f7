from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The centre desk: check-in/out, walk-ins, no-show release, payments, live occupancy."""

    name = "desk"
    verbose_name = _("Centre desk")
