from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yrkesbro.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from yrkesbro.core.personal_data import declare

        declare(
            "core.OutboxMessage",
            fields=["to", "subject", "body"],
            purpose=_("Deliver notifications and invitations by e-mail"),
            retention=_("Deleted 30 days after the message was sent"),
        )
