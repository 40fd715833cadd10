from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "yrkesbro.needs"
    label = "needs"
    verbose_name = _("Competence needs and plans")

    def ready(self) -> None:
        from yrkesbro.core.tasks import register_daily

        register_daily("yrkesbro.needs.tasks.refresh_all_regional")
