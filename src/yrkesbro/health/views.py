"""Pages for collaboration health: my surveys, answering, divergence, and public indicators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yrkesbro.collaboration.models import Partnership
from yrkesbro.collaboration.services.common import can
from yrkesbro.core.charts import line_chart
from yrkesbro.core.errors import DomainError
from yrkesbro.core.inputs import parse_id
from yrkesbro.core.policies import Capability
from yrkesbro.health import selectors, services
from yrkesbro.health.models import ItemKind, Round


def get_or_404(qs: QuerySet, pk: Any) -> Any:
    """The row with this id among ``qs``; 404 for a missing, hidden or absurd id."""
    number = parse_id(pk)
    found: Model | None = qs.filter(pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


@login_required
def index(request: HttpRequest) -> HttpResponse:
    partnerships = Partnership.objects.private_to(request.user).order_by("name", "id")[:50]
    return render(
        request,
        "health/index.html",
        {"open_rounds": selectors.my_open_rounds(request.user), "partnerships": partnerships},
    )


def _values_from(request: HttpRequest, items: list[Any]) -> dict[str, str]:
    return {
        item.code: request.POST.get(f"item-{item.code}", "")
        for item in items
        if item.kind == ItemKind.SCALE
    }


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, round_id: str) -> HttpResponse:
    round_ = get_or_404(
        Round.objects.visible_to(request.user).select_related("partnership"), round_id
    )
    items = selectors.answer_form_items(round_)
    chosen: dict[str, str] = {}
    free_text = ""
    error = None
    if request.method == "POST":
        chosen = _values_from(request, items)
        free_text = request.POST.get("free_text", "")
        missing = [code for code, value in chosen.items() if value == ""]
        try:
            if missing:
                raise DomainError(_("Answer every question (don't know is an answer)."))
            services.round_answer(
                actor=request.user,
                round_=round_,
                values={k: (None if v == "dk" else v) for k, v in chosen.items()},
                free_text=free_text,
            )
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            error = str(exc.message)
        else:
            messages.success(request, _("Thank you. Your answers are stored without your name."))
            return redirect("health:partnership", partnership_id=round_.partnership_id)
    return render(
        request,
        "health/answer.html",
        {
            "round": round_,
            "items": items,
            "chosen": chosen,
            "free_text": free_text,
            "error": error,
            "scale": [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")],
        },
        status=400 if error else 200,
    )


def _history_chart(div: selectors.Divergence, code: str, text: str) -> str:
    points = div.history.get(code, [])
    if not any(a is not None for p in points for a in p.averages):
        return ""
    return line_chart(
        text,
        # The same dates and side order as the table beside the chart.
        [dateformat.format(timezone.localtime(p.round.opened_at), "d.m.Y") for p in points],
        [(side.name, [p.averages[i] for p in points]) for i, side in enumerate(div.sides)],
        y_range=(1, 5),
        description=_(
            "Line chart of each side's average (1 to 5) over the rounds. "
            "The table beside it has the same numbers."
        ),
    )


@login_required
def partnership(request: HttpRequest, partnership_id: str) -> HttpResponse:
    """The divergence view: parties of the partnership only (404 for everyone else)."""
    found = get_or_404(Partnership.objects.private_to(request.user), partnership_id)
    div = selectors.divergence(found)
    histories = [
        {
            "row": row,
            "chart": _history_chart(div, row.code, row.text),
            "points": div.history.get(row.code, []),
        }
        for row in div.rows
    ]
    return render(
        request,
        "health/partnership.html",
        {
            "partnership": found,
            "div": div,
            "histories": histories,
            "rounds": selectors.rounds_for(request.user, found)[:12],
            "is_admin": can(request.user, Capability.MANAGE_MEMBERS, found),
            "asked": request.user.pk in services.respondents(found),
            "settings": services.settings_for(found),
        },
    )


@login_required
@require_POST
def round_start(request: HttpRequest, partnership_id: str) -> HttpResponse:
    found = get_or_404(Partnership.objects.private_to(request.user), partnership_id)
    try:
        services.round_start(actor=request.user, partnership=found)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The round is open and the invitations are on their way."))
    return redirect("health:partnership", partnership_id=found.pk)


@login_required
@require_POST
def round_close(request: HttpRequest, round_id: str) -> HttpResponse:
    round_ = get_or_404(Round.objects.visible_to(request.user), round_id)
    try:
        services.round_close(actor=request.user, round_=round_)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The round is closed."))
    return redirect("health:partnership", partnership_id=round_.partnership_id)


@login_required
@require_POST
def pulse_settings(request: HttpRequest, partnership_id: str) -> HttpResponse:
    found = get_or_404(Partnership.objects.private_to(request.user), partnership_id)
    cadence = parse_id(request.POST.get("cadence_months", ""))
    days = parse_id(request.POST.get("open_days", ""))
    try:
        services.pulse_settings_update(
            actor=request.user,
            partnership=found,
            cadence_months=min(cadence or 0, 10_000),
            open_days=min(days or 0, 10_000),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("health:partnership", args=[found.pk]) + "#settings")
