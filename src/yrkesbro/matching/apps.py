from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "yrkesbro.matching"
    label = "matching"
    verbose_name = _("Matching, demand and gaps")

    def ready(self) -> None:
        import yrkesbro.matching.signals  # noqa: F401 - connects the recompute hooks
