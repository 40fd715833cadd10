"""The needs list and the plans list as CSV or XLSX (``core.exports``): what the reader may see.

The rows are the page's own selectors (``visible_to``, the same filters), so a download
never holds more than the list it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yrkesbro.core.exports import label
from yrkesbro.core.policies import Actor
from yrkesbro.needs import selectors
from yrkesbro.needs.models import CompetencePlan, Need

NEED_HEADER = (
    _("Id"),
    _("Organisation"),
    _("County"),
    _("Unit"),
    _("Service area"),
    _("Competence areas"),
    _("People"),
    _("By when"),
    _("Urgency"),
    _("Status"),
    _("Visibility"),
    _("Plan"),
    _("Online teaching works"),
    _("Part-time study works"),
    _("Evenings work"),
    _("Description"),
    _("Published"),
    _("Updated"),
)


def need_rows(needs: QuerySet[Need], actor: Actor) -> Iterator[list[Any]]:
    """One row per need; a plan's title only when the reader may read that plan."""
    qs = selectors.with_readable_plan(needs, actor)
    for n in qs.iterator(chunk_size=500):
        county = n.organisation.county
        yield [
            n.pk,
            n.organisation.name,
            county.name if county else "",
            n.unit,
            label(n, "service_area"),
            [a.name for a in n.areas.all()],
            n.people,
            n.deadline,
            label(n, "urgency"),
            label(n, "status"),
            label(n, "visibility"),
            n.plan.title if n.readable_plan_id and n.plan else "",  # type: ignore[attr-defined]
            n.online_ok,
            n.part_time_ok,
            n.evenings_ok,
            n.description,
            n.published_at,
            n.updated_at,
        ]


PLAN_HEADER = (
    _("Id"),
    _("Plan"),
    _("Organisation"),
    _("From year"),
    _("To year"),
    _("Needs"),
    _("Visibility"),
    _("Approved"),
    _("Approved by"),
    _("Summary"),
    _("Updated"),
)


def plan_rows(plans: QuerySet[CompetencePlan]) -> Iterator[list[Any]]:
    """One row per plan; ``Needs`` counts only the needs the reader may see (the list's count)."""
    for p in plans.iterator(chunk_size=500):
        yield [
            p.pk,
            p.title,
            p.organisation.name,
            p.start_year,
            p.end_year,
            p.need_count,  # type: ignore[attr-defined]
            label(p, "visibility"),
            p.approved_at,
            p.approved_by_name,
            p.summary,
            p.updated_at,
        ]
