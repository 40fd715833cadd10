from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VetConfig(AppConfig):
    name = "yrkesbro.vet"
    label = "vet"
    verbose_name = _("Upper-secondary VET")

    def ready(self) -> None:
        from yrkesbro.core.personal_data import declare

        declare(
            "vet.Placement",
            fields=["pupil_name", "pupil_first_name", "goals", "tasks"],
            purpose=_("Book a pupil's workplace practice and agree its local curriculum"),
            retention=_(
                "Pupil names removed by the worker a set number of days after the school year"
            ),
            subject="pupil (a minor), not a platform user",
        )
        declare(
            "vet.Assessment",
            fields=["comment", "would_take_apprentice"],
            purpose=_("Two-sided assessment of a pupil's workplace practice"),
            retention=_("Kept with the placement; no pupil name is stored on it"),
            subject="pupil (a minor), not a platform user",
        )
        declare(
            "vet.Offer",
            fields=["instructor_name", "instructor_email", "instructor_phone"],
            purpose=_("Contact details of the workplace instructor for the schools"),
            retention=_("Kept while the offer exists"),
            subject="instructor",
        )
        declare(
            "vet.Hospitering",
            fields=["participant", "school_report", "workplace_report"],
            purpose=_("Plan and document a teacher or trainer exchange"),
            retention=_("Kept with the partnership"),
            subject="teacher or trainer",
        )
