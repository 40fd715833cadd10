from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "yrkesbro.catalogue"
    label = "catalogue"
    verbose_name = _("Programme catalogue")

    def ready(self) -> None:
        from yrkesbro.core.tasks import register_daily

        # After an upgrade that changed the analysis, the worker rebuilds the index once.
        register_daily("yrkesbro.catalogue.search.reindex_if_outdated")
