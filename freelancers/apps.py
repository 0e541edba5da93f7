from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FreelancersConfig(AppConfig):
    name = "freelancers"
    verbose_name = _("Freelancers")
