"""Overviews (organisation, county), notifications and calendar feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yrkesbro.accounts.selectors import capabilities_in
from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.forms import CalendarFeedForm, OverviewFilterForm
from yrkesbro.collaboration.models import CalendarFeed
from yrkesbro.collaboration.services import calendar
from yrkesbro.collaboration.services import notifications as notification_services
from yrkesbro.core.errors import DomainError
from yrkesbro.core.inputs import parse_id
from yrkesbro.core.pickers import answer_pickers
from yrkesbro.core.policies import Capability
from yrkesbro.organisations.models import Organisation

PAGE_SIZE = 25
NETWORK_EDGES = 60  # the strongest couplings drawn in a county's network


def _internal_org(request: HttpRequest, org_id: int) -> Organisation:
    org = get_object_or_404(Organisation, pk=org_id)
    if Capability.VIEW_INTERNAL not in capabilities_in(actor=request.user, organisation=org):
        raise Http404
    return org


@login_required
def organisation_overview(request: HttpRequest, org_id: int) -> HttpResponse:
    """An organisation's own partnerships, with health signals (its members only).

    A page at a time: health is computed for the partnerships shown, so the page costs the
    same for a school with five partnerships and a city with hundreds.
    """
    org = _internal_org(request, org_id)
    qs = selectors.partnership_list(actor=request.user, organisation=org).order_by("name", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.with_health(list(page.object_list))
    return render(
        request, "collaboration/overview_org.html", {"org": org, "rows": rows, "page": page}
    )


@login_required
def county_overview(request: HttpRequest, org_id: int) -> HttpResponse:
    """All structures with a party in the county, for the county's own staff.

    The county sees the same health signals (dates, counts, statuses) for every
    structure in its area, but minutes and agreements stay with the parties.
    """
    county = get_object_or_404(selectors.overview_counties(request.user), pk=org_id)
    form = OverviewFilterForm(request.GET or None, county=county)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.in_county(county).filter(is_active=True)
    if filters.get("q"):
        qs = qs.filter(name__icontains=filters["q"])
    if filters.get("structure_type"):
        qs = qs.filter(structure_type=filters["structure_type"])
    if filters.get("bindingness"):
        qs = qs.filter(bindingness=filters["bindingness"])
    # The totals, the cadence filter and the network come from light aggregate rows of every
    # structure; full health is computed only for the page of structures shown.
    # (cached per county, filters and version of the data: ``selectors.county_figures``).
    found = selectors.county_figures(county, filters, qs, max_edges=NETWORK_EDGES)
    pulse, graph = found.pulses, found.network
    if filters.get("cadence") in ("kept", "missed"):
        qs = qs.filter(pk__in=list(pulse))
    kept = sum(1 for p in pulse.values() if p.cadence_kept)
    with_forum = sum(1 for p in pulse.values() if p.forums)
    page = Paginator(
        qs.select_related("structure_type")
        .prefetch_related(selectors.party_names())
        .order_by("name", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    rows = selectors.with_health(list(page.object_list))
    return render(
        request,
        "collaboration/overview_county.html",
        {
            "county": county,
            "form": form,
            "rows": rows,
            "page": page,
            "total": len(pulse),
            "svg": graph.svg,  # a SafeString from core.charts.network_chart (every name escaped)
            "edges": graph.edges,
            "nodes": graph.nodes,
            "total_edges": graph.total_edges,
            "kept": kept,
            "with_forum": with_forum,
            "figures": found,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    notes = selectors.notifications_of(request.user)
    if request.method == "POST":
        notification_services.notifications_mark_all_read(actor=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("collaboration:notifications")
    return render(request, "collaboration/notifications.html", {"notes": notes[:200]})


@login_required
@require_http_methods(["GET", "POST"])
def calendars(request: HttpRequest) -> HttpResponse:
    """The person's calendar feeds: create (shows the secret URL once) and revoke."""
    new_url = None
    revoking = request.method == "POST" and "revoke" in request.POST
    form = CalendarFeedForm(
        request.POST if request.method == "POST" and not revoking else None, actor=request.user
    )
    if response := answer_pickers(request, form):
        return response
    if revoking:
        feed = get_object_or_404(
            CalendarFeed, pk=parse_id(request.POST["revoke"]) or 0, user_id=request.user.pk or 0
        )
        calendar.feed_revoke(actor=request.user, feed=feed)
        messages.success(request, _("The calendar link no longer works."))
        return redirect("collaboration:calendars")
    if form.is_bound:
        if not form.is_valid():
            # A forum the person cannot see (or no forum id at all): as if it did not exist.
            raise Http404
        try:
            _feed, token = calendar.feed_create(
                actor=request.user, forum=form.cleaned_data["forum"]
            )
        except DomainError as exc:
            raise Http404 from exc
        new_url = request.build_absolute_uri(reverse("collaboration:ical", args=[token]))
        form = CalendarFeedForm(actor=request.user)
        answer_pickers(request, form)
    feeds = CalendarFeed.objects.filter(
        user_id=request.user.pk or 0, revoked_at__isnull=True
    ).select_related("forum")
    return render(
        request,
        "collaboration/calendars.html",
        {"feeds": feeds, "form": form, "new_url": new_url},
    )


@never_cache
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = calendar.feed_for_token(token)
    if feed is None or not feed.user.is_active:
        raise Http404
    response = HttpResponse(calendar.feed_render(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="yrkesbro.ics"'
    return response
