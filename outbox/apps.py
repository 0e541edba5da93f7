from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outgoing email")

    def ready(self) -> None:
        # Each app's notifications module registers the kinds of email it renders at send time.
        autodiscover_modules("notifications")
        from erozgar.metrics import register_source

        from .metrics import backlog_metrics

        register_source(backlog_metrics)
