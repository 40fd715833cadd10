"""Partnerships, and meetings with their actions, as CSV or XLSX (``core.exports``).

Partnerships are those the collaboration page lists (``visible_to``: the reader's own,
and the public ones); meetings only those of partnerships where an organisation of the
reader has accepted to take part (``Meeting.objects.visible_to``), as on the meeting pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.models import ActionItem, Meeting, Partnership
from yrkesbro.core.exports import label
from yrkesbro.core.policies import Actor
from yrkesbro.taxonomy.models import CompetenceArea

PARTNERSHIP_HEADER = (
    _("Id"),
    _("Partnership"),
    _("Purpose"),
    _("Structure type"),
    _("Bindingness"),
    _("Parties"),
    _("Competence areas"),
    _("Trades"),
    _("Public"),
    _("Active"),
    _("Updated"),
)


def partnerships(actor: Actor) -> QuerySet[Partnership]:
    return (
        selectors.partnership_list(actor=actor)
        .prefetch_related(
            Prefetch("competence_areas", queryset=CompetenceArea.objects.order_by("code"))
        )
        .order_by("name", "id")
    )


def partnership_rows(qs: QuerySet[Partnership]) -> Iterator[list[Any]]:
    """One row per partnership; the parties are those that have accepted."""
    for p in qs.iterator(chunk_size=500):
        yield [
            p.pk,
            p.name,
            p.purpose,
            str(p.structure_type) if p.structure_type else "",
            label(p, "bindingness"),
            [party.organisation.name for party in p.parties.all()],
            [a.name for a in p.competence_areas.all()],
            p.trades,
            p.is_public,
            p.is_active,
            p.updated_at,
        ]


MEETING_HEADER = (
    _("Meeting id"),
    _("Partnership"),
    _("Forum"),
    _("Meeting"),
    _("Starts"),
    _("Ends"),
    _("Place"),
    _("Meeting status"),
    _("Action id"),
    _("Action"),
    _("Owner"),
    _("Due"),
    _("Action status"),
)


def meetings(actor: Actor) -> QuerySet[Meeting]:
    return (
        Meeting.objects.visible_to(actor)
        .select_related("forum", "forum__partnership")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=ActionItem.objects.select_related("owner").order_by("due_on", "id"),
            )
        )
        .order_by("starts_at", "id")
    )


def meeting_rows(qs: QuerySet[Meeting]) -> Iterator[list[Any]]:
    """One row per action, the meeting repeated; a meeting without actions has one row."""
    for m in qs.iterator(chunk_size=500):
        meeting = [
            m.pk,
            m.forum.partnership.name,
            m.forum.name,
            m.title,
            m.starts_at,
            m.ends_at,
            m.place,
            label(m, "status"),
        ]
        actions = list(m.actions.all())
        if not actions:
            yield [*meeting, "", "", "", "", ""]
        for a in actions:
            yield [
                *meeting,
                a.pk,
                a.title,
                a.owner.display_name,
                a.due_on,
                label(a, "status"),
            ]
