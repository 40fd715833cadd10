"""Personal data in needs: who wrote, owns and approved needs and plans."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.personal_data import declare


def _erase_plans(user: Any) -> int:
    from yrkesbro.needs.models import CompetencePlan

    count = CompetencePlan.objects.filter(owner=user).update(owner=None)
    return count + CompetencePlan.objects.filter(approved_by=user).update(
        approved_by=None, approved_by_name=""
    )


def _erase_history(user: Any) -> int:
    from yrkesbro.needs.models import NeedStatusChange

    return NeedStatusChange.objects.filter(actor=user).update(actor=None, actor_name="")


declare(
    "needs.CompetencePlan",
    fields=["owner", "approved_by", "approved_by_name"],
    purpose=_("Who owns and who approved a competence plan"),
    retention=_("As long as the plan; the person is removed on a deletion request"),
    person="owner",
    eraser=_erase_plans,
)
declare(
    "needs.Need",
    fields=["created_by"],
    purpose=_("Who recorded a competence need"),
    retention=_("As long as the need; the person is removed on a deletion request"),
    person="created_by",
)
declare(
    "needs.NeedStatusChange",
    fields=["actor", "actor_name"],
    purpose=_("The status history of a need: who changed it"),
    retention=_("As long as the need; the person is removed on a deletion request"),
    person="actor",
    eraser=_erase_history,
)
