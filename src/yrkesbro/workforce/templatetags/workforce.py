"""Workforce pieces shown on other apps' pages: the loop on a need and on a request, and
the public "what it led to" figures on a programme page; the rows of the effect tables."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from yrkesbro.core.policies import Capability, has_capability
from yrkesbro.workforce import selectors, services
from yrkesbro.workforce.models import THRESHOLD, Enrolment, EnrolmentStatus

register = template.Library()


@register.simple_tag
def effect_rows(rows: Any) -> SafeString:
    """The rows of an effect table (year, group, six counts). Built here, not in a template
    loop: an employer's per-programme table has hundreds of rows, and the template engine
    spends far more on each of their cells than this does. Only the group is text (escaped);
    the rest are integers."""
    return mark_safe(  # the text is escaped, the rest are integers
        "".join(
            f'<tr><td>{r.year:d}</td><th scope="row">{escape(r.group)}</th><td>{r.enrolled:d}'
            f"</td><td>{r.completed:d}</td><td>{r.interrupted:d}</td><td>{r.new_tasks:d}</td>"
            f"<td>{r.new_job_group:d}</td><td>{r.salary:d}</td></tr>"
            for r in rows
        )
    )


def _accepted_parties(req: Any) -> Any:
    """The partnerships both sides of a request are parties of (one place, so it can move
    to the consent-aware party query set)."""
    from yrkesbro.collaboration.models import Partnership

    return (
        Partnership.objects.filter(parties__organisation=req.need.organisation_id)
        .filter(parties__organisation=req.school_id)
        .distinct()
    )


@register.inclusion_tag("workforce/partials/request_loop.html", takes_context=True)
def request_loop(context: Any, req: Any) -> dict[str, Any]:
    user = context["request"].user
    is_employer = has_capability(user, Capability.EDIT_CONTENT, req.need.organisation_id)
    is_school = has_capability(user, Capability.VIEW_INTERNAL, req.school_id)
    accepted = req.status == "accepted"
    partnerships = list(_accepted_parties(req)[:3])
    return {
        "req": req,
        "accepted": accepted,
        "seats_taken": services.seats_taken(req) if accepted else 0,
        "is_employer": is_employer,
        "is_school": is_school,
        "partnerships": partnerships,
        "can_start_partnership": not partnerships
        and (is_employer or has_capability(user, Capability.EDIT_CONTENT, req.school_id)),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("workforce/partials/need_loop.html", takes_context=True)
def need_loop(context: Any, need: Any) -> dict[str, Any]:
    user = context["request"].user
    can_see = has_capability(user, Capability.EDIT_CONTENT, need.organisation_id)
    enrolled = (
        Enrolment.objects.filter(request__need=need)
        .exclude(status=EnrolmentStatus.INTERRUPTED)
        .count()
        if can_see
        else None
    )
    return {"need": need, "enrolled": enrolled}


@register.inclusion_tag("workforce/partials/programme_outcomes.html")
def programme_outcomes(programme: Any) -> dict[str, Any]:
    row = selectors.programme_outcome(programme.pk)
    return {"row": row, "figures": row.figures() if row else None, "threshold": THRESHOLD}


@register.inclusion_tag("workforce/partials/menu.html", takes_context=True)
def workforce_menu(context: Any) -> dict[str, Any]:
    """The main-menu entry, for signed-in people.

    Reads the template's ``user`` (not ``request.user``), so pages rendered without the
    database, such as the 503 page, never load the session.
    """
    return {"request": context.get("request"), "user": context.get("user")}


@register.inclusion_tag("workforce/partials/my_data_link.html")
def my_data_link() -> dict[str, Any]:
    return {}
