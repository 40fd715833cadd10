from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yrkesbro.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.apps import apps

        from yrkesbro.core import choices
        from yrkesbro.core.personal_data import discover

        # Every app's personal_data.py declares its models in the one registry.
        discover()
        # Choice labels looked up, not rebuilt on every call (see core/choices.py).
        choices.install(apps.get_models(include_auto_created=True))
