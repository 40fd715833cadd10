from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VetConfig(AppConfig):
    name = "yrkesbro.vet"
    label = "vet"
    verbose_name = _("Upper-secondary VET")
