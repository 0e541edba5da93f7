from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        from centres.selectors import register_free_today_counter

        from .finder import free_today_counts

        register_free_today_counter(free_today_counts)
