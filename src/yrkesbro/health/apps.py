from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "yrkesbro.health"
    label = "health"
    verbose_name = _("Collaboration health")

    def ready(self) -> None:
        import yrkesbro.health.signals  # noqa: F401 - connects the refresh hooks
        from yrkesbro.core.tasks import register_daily

        register_daily("yrkesbro.health.tasks.pulse_sweep")
