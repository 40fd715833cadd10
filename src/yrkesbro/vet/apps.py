from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VetConfig(AppConfig):
    name = "yrkesbro.vet"
    label = "vet"
    verbose_name = _("Upper-secondary VET")

    def ready(self) -> None:
        from yrkesbro.core.tasks import register_daily

        register_daily("yrkesbro.vet.tasks.vet_sweep")
