from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "yrkesbro.health"
    label = "health"
    verbose_name = _("Collaboration health")

    def ready(self) -> None:
        import yrkesbro.health.signals  # noqa: F401 - connects the refresh hooks
        from yrkesbro.core.personal_data import declare

        declare(
            "health.Participation",
            fields=["user"],
            purpose=_(
                "Stop a person from answering a round twice; says only that someone of a "
                "party answered, never what"
            ),
            retention=_("Deleted with the round or the person"),
        )
        declare(
            "health.Response",
            fields=["free_text"],
            purpose=_(
                "Anonymous survey answers: stored without any link to the person who gave them"
            ),
            retention=_("Kept with the round; shown only as side figures above the threshold"),
            subject="anonymous respondent (no link to a person)",
        )
