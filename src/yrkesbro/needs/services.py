"""Writes to needs and competence plans. Every function checks the actor, runs in a
transaction and records an audit entry; nothing is changed when a rule says no."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.accounts.models import Membership
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.inputs import parse_id
from yrkesbro.core.policies import Actor, Capability, Role, has_capability, is_platform_admin
from yrkesbro.needs import regional_tables, selectors
from yrkesbro.needs.models import (
    MAX_PEOPLE,
    TRANSITIONS,
    CompetencePlan,
    Driver,
    Need,
    NeedStatusChange,
    ServiceArea,
    Status,
    Urgency,
    Visibility,
)
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea

if TYPE_CHECKING:
    from yrkesbro.accounts.models import User

NEED_FIELDS = (
    "service_area",
    "unit",
    "description",
    "people",
    "deadline",
    "urgency",
    "drivers",
    "driver_other",
    "online_ok",
    "part_time_ok",
    "evenings_ok",
    "max_travel_minutes",
    "max_travel_km",
    "funding",
    "visibility",
    "plan",
)
PLAN_FIELDS = ("title", "start_year", "end_year", "summary", "owner", "visibility")
OWNER_KINDS = (Kind.MUNICIPALITY, Kind.COMPANY, Kind.COUNTY)
MAX_NEEDS_AT_ONCE = 500  # needs added to a plan in one call (the API's list limit too)
TEXT_LIMITS = {
    "unit": 200,
    "description": 5000,
    "funding": 2000,
    "driver_other": 200,
    "title": 200,
    "summary": 5000,
    "note": 300,
}


def can_approve(actor: Actor, organisation: Organisation) -> bool:
    """Approving a plan is for the organisation's strategic leadership: its administrators."""
    if is_platform_admin(actor):
        return True
    if not (actor and actor.is_authenticated):
        return False
    return Membership.objects.filter(
        user=actor, organisation=organisation, role=Role.ADMIN
    ).exists()


def _require_editor(actor: Actor, organisation: Organisation) -> None:
    if not has_capability(actor, Capability.EDIT_CONTENT, organisation):
        raise NotAllowed(_("You cannot change this organisation's needs and plans."))


def _text(value: Any, field: str) -> str:
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise DomainError(_("The text contains characters that are not allowed."), field=field)
    text = text.strip()
    if len(text) > TEXT_LIMITS.get(field, 300):
        raise DomainError(
            _("The text is too long (at most %(n)s characters).") % {"n": TEXT_LIMITS[field]},
            field=field,
        )
    return text


def _int_or_none(value: Any, field: str, maximum: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Enter a whole number."), field=field) from exc
    if number < 0 or number > maximum:
        raise DomainError(_("Enter a number from 0 to %(max)s.") % {"max": maximum}, field=field)
    return number


def resolve_areas(codes: list[str] | None) -> list[CompetenceArea]:
    """The active areas with these codes; every code must be known."""
    codes = [str(c).strip() for c in (codes or []) if str(c).strip()]
    if not codes:
        raise DomainError(_("Choose at least one competence area."), field="areas")
    found = {a.code: a for a in CompetenceArea.objects.filter(code__in=codes, is_active=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise DomainError(
            _("Unknown competence area: %(codes)s.") % {"codes": ", ".join(unknown[:5])[:200]},
            field="areas",
        )
    return [found[c] for c in dict.fromkeys(codes)]


def _apply(need: Need, data: dict[str, Any], *, creating: bool) -> None:
    for key, value in data.items():
        if key not in NEED_FIELDS:
            raise DomainError(_("This field cannot be changed here."), field=key)
        if key in TEXT_LIMITS:
            value = _text(value, key)
        elif key == "people":
            try:
                value = int(value)
            except (TypeError, ValueError) as exc:
                raise DomainError(_("Enter a whole number."), field="people") from exc
            if not 1 <= value <= MAX_PEOPLE:
                raise DomainError(
                    _("The number of people must be from 1 to %(max)s.") % {"max": MAX_PEOPLE},
                    field="people",
                )
        elif key == "deadline":
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError as exc:
                    raise DomainError(_("Enter a date."), field="deadline") from exc
            if not isinstance(value, dt.date):
                raise DomainError(_("Enter a date."), field="deadline")
            changed = creating or value != need.deadline
            if changed and value < timezone.localdate():
                raise DomainError(_("The deadline cannot be in the past."), field="deadline")
            if value.year > timezone.localdate().year + 20:
                raise DomainError(_("The deadline is more than 20 years away."), field="deadline")
        elif key == "drivers":
            value = list(dict.fromkeys(value or []))
            if any(d not in Driver.values for d in value):
                raise DomainError(_("Choose drivers from the list."), field="drivers")
        elif key == "service_area" and value not in ServiceArea.values:
            raise DomainError(_("Choose a service area from the list."), field="service_area")
        elif key == "urgency" and value not in Urgency.values:
            raise DomainError(_("Choose low, medium or high urgency."), field="urgency")
        elif key == "visibility":
            if value not in (Visibility.PRIVATE, Visibility.INTERNAL):
                raise DomainError(
                    _("Publish the need to share it with schools."), field="visibility"
                )
            if need.visibility == Visibility.SHARED:
                raise DomainError(
                    _("A published need stays shared until it is withdrawn."), field="visibility"
                )
        elif key == "max_travel_minutes":
            value = _int_or_none(value, key, 600)
        elif key == "max_travel_km":
            value = _int_or_none(value, key, 2000)
        elif key in ("online_ok", "part_time_ok", "evenings_ok"):
            value = bool(value)
        elif key == "plan" and value is not None:
            if isinstance(value, int):
                value = CompetencePlan.objects.filter(pk=value).first()
            if value is None or value.organisation_id != need.organisation_id:
                raise DomainError(_("Choose one of your organisation's plans."), field="plan")
        setattr(need, key, value)
    if not need.unit:
        raise DomainError(_("Name the unit that has the need."), field="unit")
    from yrkesbro.core.model_inputs import check_instance

    check_instance(need)
    try:
        need.full_clean(exclude=["organisation", "plan", "created_by", "drivers"])
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=field_name) from exc


def _snapshot(need: Need) -> dict[str, Any]:
    data = audit.snapshot(need) or {}
    data["areas"] = sorted(need.areas.values_list("code", flat=True)) if need.pk else []
    return data


def _history(need: Need, actor: Actor, old: str, new: str, note: str = "") -> None:
    user = actor if actor is not None and actor.is_authenticated else None
    NeedStatusChange.objects.create(
        need=need,
        from_status=old,
        to_status=new,
        actor=user,
        actor_name=user.get_username() if user else "system",
        note=note[:300],
    )


@transaction.atomic
def need_create(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any], area_codes: list[str]
) -> Need:
    """A new need starts as a draft (private unless ``visibility`` says internal)."""
    _require_editor(actor, organisation)
    if organisation.kind not in OWNER_KINDS:
        raise DomainError(_("Only municipalities, counties and companies record needs."))
    areas = resolve_areas(area_codes)
    need = Need(organisation=organisation)
    if actor is not None and actor.is_authenticated:
        need.created_by = actor
    for required in ("unit", "people", "deadline"):
        if data.get(required) in (None, ""):
            raise DomainError(_("This field is required."), field=required)
    _apply(need, data, creating=True)
    need.save()
    need.areas.set(areas)
    _history(need, actor, "", Status.DRAFT)
    audit.record(
        actor=actor,
        action="need.create",
        obj=need,
        organisation=organisation,
        after=_snapshot(need),
    )
    return need


def _locked(need: Need) -> Need:
    return Need.objects.select_for_update().select_related("organisation").get(pk=need.pk)


@transaction.atomic
def need_update(
    *, actor: Actor, need: Need, data: dict[str, Any], area_codes: list[str] | None = None
) -> Need:
    _require_editor(actor, need.organisation)
    need = _locked(need)
    if need.status in (Status.MET, Status.WITHDRAWN):
        raise DomainError(_("A need that is met or withdrawn cannot be changed."))
    before = _snapshot(need)
    _apply(need, data, creating=False)
    need.save()
    if area_codes is not None:
        need.areas.set(resolve_areas(area_codes))
    if need.status == Status.PUBLISHED:  # only published needs count in the regional view
        regional_tables.enqueue_for(need)
    after = _snapshot(need)
    if before != after:
        audit.record(
            actor=actor,
            action="need.update",
            obj=need,
            organisation=need.organisation,
            before=before,
            after=after,
        )
    return need


def _transition(actor: Actor, need: Need, new: str, note: str = "") -> Need:
    _require_editor(actor, need.organisation)
    need = _locked(need)
    old = need.status
    if new not in TRANSITIONS.get(old, set()):
        raise DomainError(
            _("A need that is %(old)s cannot become %(new)s.")
            % {"old": Status(old).label, "new": Status(new).label},
            field="status",
        )
    before = _snapshot(need)
    need.status = new
    if new == Status.PUBLISHED:
        if need.deadline < timezone.localdate():
            raise DomainError(
                _("The deadline has passed; change it before publishing."), field="deadline"
            )
        need.visibility = Visibility.SHARED
        need.published_at = need.published_at or timezone.now()
    elif new in (Status.WITHDRAWN, Status.DRAFT):
        # No longer shared with schools; the organisation still sees its own history.
        need.visibility = Visibility.INTERNAL
    need.save()
    if Status.PUBLISHED in (old, new):
        regional_tables.enqueue_for(need)
    _history(need, actor, old, new, note)
    audit.record(
        actor=actor,
        action=f"need.{new}",
        obj=need,
        organisation=need.organisation,
        before=before,
        after=_snapshot(need),
    )
    return need


@transaction.atomic
def need_publish(*, actor: Actor, need: Need) -> Need:
    """Share the need with schools: anyone signed in can see it, and it counts in the
    regional view."""
    return _transition(actor, need, Status.PUBLISHED)


@transaction.atomic
def need_withdraw(*, actor: Actor, need: Need, note: str = "") -> Need:
    return _transition(actor, need, Status.WITHDRAWN, _text(note, "note"))


@transaction.atomic
def need_set_status(*, actor: Actor, need: Need, status: str, note: str = "") -> Need:
    """Move a need along (being met, met, back to published, or a withdrawn need back to draft)."""
    if status not in Status.values:
        raise DomainError(_("Choose a status from the list."), field="status")
    return _transition(actor, need, status, _text(note, "note"))


# Competence plans ---------------------------------------------------------------


def _apply_plan(plan: CompetencePlan, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key not in PLAN_FIELDS:
            raise DomainError(_("This field cannot be changed here."), field=key)
        if key in ("title", "summary"):
            value = _text(value, key)
        elif key in ("start_year", "end_year"):
            value = _int_or_none(value, key, 2100)
            if value is None or value < 2000:
                raise DomainError(_("Enter a year from 2000 to 2100."), field=key)
        elif key == "visibility" and value not in Visibility.values:
            raise DomainError(_("Choose a visibility from the list."), field="visibility")
        elif (
            key == "owner"
            and value is not None
            and not Membership.objects.filter(user=value, organisation=plan.organisation).exists()
        ):
            raise DomainError(_("The owner must be a member of the organisation."), field="owner")
        setattr(plan, key, value)
    if not plan.title:
        raise DomainError(_("Give the plan a title."), field="title")
    if plan.end_year < plan.start_year:
        raise DomainError(_("The period must end after it starts."), field="end_year")
    if plan.end_year - plan.start_year > 12:
        raise DomainError(_("A plan covers at most 12 years."), field="end_year")
    from yrkesbro.core.model_inputs import check_instance

    check_instance(plan)


@transaction.atomic
def plan_create(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any]
) -> CompetencePlan:
    _require_editor(actor, organisation)
    if organisation.kind not in OWNER_KINDS:
        raise DomainError(_("Only municipalities, counties and companies make competence plans."))
    plan = CompetencePlan(organisation=organisation)
    if (
        "owner" not in data
        and actor is not None
        and actor.is_authenticated
        and Membership.objects.filter(user=actor, organisation=organisation).exists()
    ):
        plan.owner = actor
    for required in ("title", "start_year", "end_year"):
        if data.get(required) in (None, ""):
            raise DomainError(_("This field is required."), field=required)
    _apply_plan(plan, data)
    plan.save()
    audit.record(
        actor=actor,
        action="plan.create",
        obj=plan,
        organisation=organisation,
        after=audit.snapshot(plan),
    )
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: CompetencePlan, data: dict[str, Any]) -> CompetencePlan:
    """Change a plan. Changing the period or title of an approved plan clears the approval."""
    _require_editor(actor, plan.organisation)
    plan = CompetencePlan.objects.select_for_update().get(pk=plan.pk)
    before = audit.snapshot(plan)
    _apply_plan(plan, data)
    substantive = any(
        before and before.get(f) != getattr(plan, f) for f in ("title", "start_year", "end_year")
    )
    if substantive and plan.approved_at:
        plan.approved_at = None
        plan.approved_by = None
        plan.approved_by_name = ""
    plan.save()
    after = audit.snapshot(plan)
    if before != after:
        audit.record(
            actor=actor,
            action="plan.update",
            obj=plan,
            organisation=plan.organisation,
            before=before,
            after=after,
        )
    return plan


@transaction.atomic
def plan_approve(*, actor: Actor, plan: CompetencePlan) -> CompetencePlan:
    """Record the strategic leader's approval (an administrator of the organisation)."""
    if not can_approve(actor, plan.organisation):
        raise NotAllowed(_("Only the organisation's administrators can approve its plan."))
    plan = CompetencePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.approved_at:
        raise DomainError(_("The plan is already approved."))
    if not plan.needs.exists():
        raise DomainError(_("Add at least one need before the plan is approved."))
    before = audit.snapshot(plan)
    plan.approved_by = cast("User", actor)
    plan.approved_by_name = getattr(actor, "display_name", "") or actor.get_username()
    plan.approved_at = timezone.now()
    plan.save(update_fields=["approved_by", "approved_by_name", "approved_at", "updated_at"])
    audit.record(
        actor=actor,
        action="plan.approve",
        obj=plan,
        organisation=plan.organisation,
        before=before,
        after=audit.snapshot(plan),
    )
    return plan


@transaction.atomic
def plan_set_needs(*, actor: Actor, plan: CompetencePlan, need_ids: list[int]) -> CompetencePlan:
    """Put these needs (of the same organisation) in the plan; others leave it."""
    _require_editor(actor, plan.organisation)
    owned = Need.objects.filter(organisation=plan.organisation, pk__in=need_ids)
    if owned.count() != len(set(need_ids)):
        raise DomainError(_("Choose needs of your own organisation."), field="needs")
    before = sorted(plan.needs.values_list("pk", flat=True))
    plan.needs.exclude(pk__in=need_ids).update(plan=None)
    owned.update(plan=plan)
    after = sorted(need_ids)
    if before != after:
        audit.record(
            actor=actor,
            action="plan.needs",
            obj=plan,
            organisation=plan.organisation,
            before={"needs": before},
            after={"needs": after},
        )
    return plan


def _need_ids(values: Any) -> list[int]:
    """Distinct ids in the order given; anything that is not an id is refused."""
    try:
        items = list(values)
    except TypeError as exc:
        raise DomainError(_("Choose needs from the list."), field="needs") from exc
    ids: list[int] = []
    for value in items:
        number = None if isinstance(value, bool) else parse_id(value)
        if number is None:
            raise DomainError(_("Choose needs from the list."), field="needs")
        if number not in ids:
            ids.append(number)
    return ids


@transaction.atomic
def plan_add_needs(
    *, actor: Actor, plan: CompetencePlan, need_ids: Iterable[int | str]
) -> list[int]:
    """Add these needs (ids, or the text of ids as a form posts them) to the plan (a need in another plan moves here). Each must be one the
    actor may add (``selectors.plan_addable_needs``: the plan's organisation's, editable by
    the actor, not withdrawn, not yet in the plan); otherwise nothing changes.
    Returns the ids added."""
    _require_editor(actor, plan.organisation)
    ids = _need_ids(need_ids)
    if not ids:
        raise DomainError(_("Choose at least one need."), field="needs")
    if len(ids) > MAX_NEEDS_AT_ONCE:
        raise DomainError(
            _("Add at most %(n)s needs at a time.") % {"n": MAX_NEEDS_AT_ONCE}, field="needs"
        )
    plan = CompetencePlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    permitted = selectors.plan_addable_needs(actor=actor, plan=plan).filter(pk__in=ids)
    found = set(permitted.values_list("pk", flat=True))
    if found != set(ids):
        raise DomainError(
            _("Some of the chosen needs cannot be added to this plan. Nothing was changed."),
            field="needs",
        )
    # Membership of a plan does not change what a need asks for, so ``updated_at`` (which
    # tells the stored matches they are stale) is left alone, as in ``plan_set_needs``.
    Need.objects.filter(pk__in=ids).update(plan=plan)
    audit.record(
        actor=actor,
        action="plan.needs_add",
        obj=plan,
        organisation=plan.organisation,
        after={"needs": sorted(ids)},
    )
    return ids


@transaction.atomic
def plan_remove_need(*, actor: Actor, plan: CompetencePlan, need_id: int | str) -> Need:
    """Take one need out of the plan (the need itself stays, without a plan)."""
    _require_editor(actor, plan.organisation)
    number = None if isinstance(need_id, bool) else parse_id(need_id)
    need = (
        Need.objects.editable_by(actor)
        .select_for_update()
        .filter(plan_id=plan.pk, pk=number)
        .first()
        if number is not None
        else None
    )
    if need is None:
        raise DomainError(_("This need is not in the plan."), field="need")
    Need.objects.filter(pk=need.pk).update(plan=None)
    need.plan = None
    audit.record(
        actor=actor,
        action="plan.needs_remove",
        obj=plan,
        organisation=plan.organisation,
        before={"needs": [need.pk]},
        after={"needs": []},
    )
    return need
