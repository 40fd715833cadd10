"""Requests with their offers as CSV or XLSX (``core.exports``): the rows of the requests page.

A request is seen by the members of the asking organisation and of the school asked
(``Request.objects.visible_to``), with the page's status filter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yrkesbro.core.exports import label
from yrkesbro.matching.models import Request

REQUEST_HEADER = (
    _("Id"),
    _("Need id"),
    _("Unit"),
    _("From"),
    _("School"),
    _("What is asked for"),
    _("Offering"),
    _("People"),
    _("Status"),
    _("Message"),
    _("Offered programme"),
    _("Offered offering"),
    _("Seats offered"),
    _("Price (NOK)"),
    _("Delivery"),
    _("Start date"),
    _("Answer"),
    _("Asked"),
    _("Updated"),
)


def request_rows(qs: QuerySet[Request]) -> Iterator[list[Any]]:
    """One row per request, its offer (if any) beside it."""
    qs = qs.select_related("offer_programme", "offer_offering").order_by("-created_at", "-id")
    for r in qs.iterator(chunk_size=500):
        yield [
            r.pk,
            r.need_id,
            r.need.unit,
            r.need.organisation.name,
            r.school.name,
            label(r, "kind"),
            (r.offering.code or str(r.offering.programme)) if r.offering else "",
            r.people,
            label(r, "status"),
            r.message,
            r.offer_programme.title if r.offer_programme else "",
            r.offer_offering.code if r.offer_offering else "",
            r.offer_seats,
            r.offer_price_nok,
            label(r, "offer_delivery") if r.offer_delivery else "",
            r.offer_start,
            r.answer,
            r.created_at,
            r.updated_at,
        ]
