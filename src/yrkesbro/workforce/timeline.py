"""Requests between two parties of a partnership, for the partnership's contact timeline."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _


def request_items(partnership: Any, limit: int) -> list[tuple[date, str, str, str]]:
    """(day, kind, text, url) for every step of requests from one party to another, read
    where matching keeps them, so a partnership started later shows earlier requests too."""
    from yrkesbro.collaboration.models import ContactKind
    from yrkesbro.matching.models import RequestEvent

    org_ids = list(partnership.parties.values_list("organisation_id", flat=True))
    events = (
        RequestEvent.objects.filter(
            request__need__organisation_id__in=org_ids, request__school_id__in=org_ids
        )
        .select_related("request__need__organisation", "request__school")
        .order_by("-created_at")[:limit]
    )
    return [
        (
            timezone.localtime(event.created_at).date(),
            str(ContactKind.REQUEST.label),
            _("%(org)s to %(school)s: %(need)s (%(status)s)")
            % {
                "org": event.request.need.organisation.name,
                "school": event.request.school.name,
                "need": event.request.need.unit,
                "status": event.get_to_status_display().lower(),
            },
            event.request.get_absolute_url(),
        )
        for event in events
    ]
