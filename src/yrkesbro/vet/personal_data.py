"""Personal data held by VET: pupils on placements (minors), instructors, teachers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.personal_data import declare

PUPIL = _("pupil (a minor), not a platform user")

declare(
    "vet.Placement",
    fields=["pupil_name", "pupil_first_name", "goals", "tasks", "teacher"],
    purpose=_("Book a pupil's workplace practice and agree its local curriculum"),
    retention=(
        _(
            "Pupil names removed by the worker a set number of days after the school year "
            "(YRKESBRO_VET_PUPIL_NAMES_KEPT_DAYS); the teacher goes with the account"
        )
    ),
    subject=PUPIL,
    person="teacher",
    erase="keep",
)
declare(
    "vet.Assessment",
    fields=["comment", "would_take_apprentice", "author"],
    purpose=_("Two-sided assessment of a pupil's workplace practice"),
    retention=_("Kept with the placement; no pupil name is stored on it"),
    subject=PUPIL,
    person="author",
    erase="keep",
)
declare(
    "vet.Offer",
    fields=["instructor_name", "instructor_email", "instructor_phone", "instructor"],
    purpose=_("Contact details of the workplace instructor for the schools"),
    retention=_("Kept while the offer exists"),
    subject=_("instructor"),
    person="instructor",
    erase="anonymise",
)
declare(
    "vet.Hospitering",
    fields=["participant", "school_report", "workplace_report", "created_by"],
    purpose=_("Plan and document a teacher or trainer exchange"),
    retention=_("Kept with the partnership"),
    subject=_("teacher or trainer"),
    person="created_by",
    erase="keep",
)
