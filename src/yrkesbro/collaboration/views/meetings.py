"""Forum and meeting pages: forums, planning from the cadence, meetings, minutes, actions."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.forms import (
    ActionForm,
    ActionStatusForm,
    DecisionForm,
    ForumForm,
    MeetingForm,
)
from yrkesbro.collaboration.models import ActionItem, Forum, Meeting, MeetingStatus
from yrkesbro.collaboration.services import meetings as services
from yrkesbro.collaboration.views import private_partnership, require_edit, rights
from yrkesbro.core.errors import DomainError
from yrkesbro.core.forms import apply_domain_error


def _forum(request: HttpRequest, pk: int) -> Forum:
    return get_object_or_404(
        Forum.objects.visible_to(request.user).select_related("partnership"), pk=pk
    )


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("forum__partnership"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = private_partnership(request, pk)
    require_edit(request, partnership)
    form = ForumForm(
        request.POST or None,
        partnership=partnership,
        initial={"started_on": timezone.localdate(), "cadence": "quarterly"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.forum_create(
                actor=request.user,
                partnership=partnership,
                data=form.forum_data(),
                organisations=form.cleaned_data["organisations"],
                people=form.cleaned_data["people"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The forum is created."))
            return redirect(forum)
    return render(request, "collaboration/forum_form.html", {"p": partnership, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    require_edit(request, forum.partnership)
    initial = {
        **{f: getattr(forum, f) for f in services.FORUM_FIELDS},
        "organisations": forum.organisations.all(),
        "people": forum.people.all(),
    }
    form = ForumForm(request.POST or None, partnership=forum.partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_update(
                actor=request.user,
                forum=forum,
                data=form.forum_data(),
                organisations=form.cleaned_data["organisations"],
                people=form.cleaned_data["people"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(forum)
    return render(
        request,
        "collaboration/forum_form.html",
        {"p": forum.partnership, "form": form, "forum": forum},
    )


def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    now = timezone.now()
    meetings = forum.meetings.all()
    return render(
        request,
        "collaboration/forum_detail.html",
        {
            "forum": forum,
            "p": forum.partnership,
            "pulse": selectors.forum_pulse(forum),
            "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at")[:12],
            "past": meetings.filter(starts_at__lt=now, starts_at__gte=now - timedelta(days=400)),
            "actions": selectors.forum_actions(forum),
            "today": timezone.localdate(),
            "members": forum.people.all(),
            "organisations": forum.organisations.all(),
            **rights(request, forum.partnership),
        },
    )


@login_required
@require_POST
def forum_plan(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    try:
        created = services.forum_plan_meetings(actor=request.user, forum=forum)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s planned meetings are added.") % {"n": created})
    return redirect(forum)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    require_edit(request, forum.partnership)
    start = (timezone.localtime() + timedelta(days=7)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    form = MeetingForm(
        request.POST or None,
        partnership=forum.partnership,
        initial={
            "title": forum.name,
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "status": MeetingStatus.PLANNED,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the meeting and who was present, or neither
                meeting = services.meeting_create(
                    actor=request.user, forum=forum, data=form.meeting_data()
                )
                if form.cleaned_data["attendees"]:
                    services.meeting_set_attendance(
                        actor=request.user,
                        meeting=meeting,
                        attendees=form.cleaned_data["attendees"],
                    )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The meeting is added."))
            return redirect(meeting)
    return render(
        request,
        "collaboration/meeting_form.html",
        {"forum": forum, "p": forum.partnership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    require_edit(request, meeting.forum.partnership)
    initial = {f: getattr(meeting, f) for f in services.MEETING_FIELDS}
    initial["starts_at"] = timezone.localtime(meeting.starts_at)
    initial["ends_at"] = timezone.localtime(meeting.ends_at)
    initial["attendees"] = meeting.attendees.all()
    form = MeetingForm(request.POST or None, partnership=meeting.forum.partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user,
                meeting=meeting,
                data=form.meeting_data(),
                attendees=form.cleaned_data["attendees"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(meeting)
    return render(
        request,
        "collaboration/meeting_form.html",
        {"forum": meeting.forum, "p": meeting.forum.partnership, "form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    partnership = meeting.forum.partnership
    r = rights(request, partnership)
    return render(
        request,
        "collaboration/meeting_detail.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "p": partnership,
            "decisions": meeting.decisions.all(),
            "actions": meeting.actions.select_related("owner"),
            "attendees": meeting.attendees.all(),
            "decision_form": DecisionForm(prefix="decision") if r["can_edit"] else None,
            "action_form": ActionForm(prefix="action", partnership=partnership)
            if r["can_edit"]
            else None,
            "today": timezone.localdate(),
            **r,
        },
    )


@login_required
@require_POST
def meeting_add(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Add a decision or an action item to a meeting."""
    meeting = _meeting(request, pk)
    partnership = meeting.forum.partnership
    try:
        if what == "decision":
            form = DecisionForm(request.POST, prefix="decision")
            if not form.is_valid():
                raise DomainError(_("Write the decision."))
            services.decision_add(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("The decision is recorded."))
        else:
            action_form = ActionForm(request.POST, prefix="action", partnership=partnership)
            if not action_form.is_valid():
                first = next(iter(action_form.errors.values()))[0]
                raise DomainError(str(first))
            services.action_create(actor=request.user, meeting=meeting, **action_form.cleaned_data)
            messages.success(request, _("The action is added."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect(meeting)


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        ActionItem.objects.visible_to(request.user).select_related("meeting__forum__partnership"),
        pk=pk,
    )
    form = ActionStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Unknown status."))
        services.action_set_status(
            actor=request.user, action=action, status=form.cleaned_data["status"]
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The action is updated."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = action.meeting.get_absolute_url()
    return redirect(target)
