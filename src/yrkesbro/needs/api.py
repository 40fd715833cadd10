"""API for competence needs and plans.

Reads go through the same visibility rules as the pages: published needs for
anyone signed in, drafts and internal rows for the owning organisation only.
Writes call the same services as the pages.
"""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from ninja.pagination import paginate

from yrkesbro.core.api import SIGNED_IN, Mapped, actor, patch_data
from yrkesbro.core.api_types import Day, Digits, Line, Text
from yrkesbro.core.inputs import ApiId
from yrkesbro.needs import selectors, services
from yrkesbro.needs.models import (
    MAX_PEOPLE,
    CompetencePlan,
    Driver,
    Need,
    ServiceArea,
    Status,
    Urgency,
    Visibility,
)
from yrkesbro.organisations.models import Organisation

router = Router(tags=["needs"])


class CountyRef(Schema):
    number: str
    name: str


class OrganisationRef(Schema):
    id: int
    name: str
    county: CountyRef | None

    @staticmethod
    def resolve_county(obj: Organisation) -> Organisation | None:
        return obj if obj.kind == "county" else obj.county


class NeedOut(Schema):
    id: int
    organisation: OrganisationRef
    areas: list[str] = Field(description="Competence area codes")
    service_area: str
    unit: str
    description: str
    people: int
    deadline: dt.date
    urgency: str
    drivers: list[str]
    online_ok: bool
    part_time_ok: bool
    evenings_ok: bool
    max_travel_minutes: int | None
    max_travel_km: int | None
    funding: str
    status: str
    visibility: str
    plan_id: int | None
    published_at: dt.datetime | None

    @staticmethod
    def resolve_plan_id(obj: Need) -> int | None:
        # Only a plan the caller may read (annotated by selectors.with_readable_plan).
        return getattr(obj, "readable_plan_id", None)

    @staticmethod
    def resolve_areas(obj: Need) -> list[str]:
        return [a.code for a in obj.areas.all()]


class NeedFilter(Schema):
    area: Line = Field("", max_length=40, description="Competence area code")
    county: Digits = Field("", max_length=10, description="County number (e.g. 34) or id")
    status: Status | None = None
    organisation: ApiId | None = None


class NeedIn(Schema):
    organisation_id: ApiId
    areas: list[Line] = Field(min_length=1, max_length=30)
    service_area: ServiceArea = ServiceArea.HEALTH
    unit: Line = Field(min_length=1, max_length=200)
    description: Text = Field("", max_length=5000)
    people: int = Field(ge=1, le=MAX_PEOPLE)
    deadline: Day
    urgency: Urgency = Urgency.MEDIUM
    drivers: list[Driver] = []
    driver_other: Line = Field("", max_length=200)
    online_ok: bool = True
    part_time_ok: bool = True
    evenings_ok: bool = False
    max_travel_minutes: int | None = Field(None, ge=0, le=600)
    max_travel_km: int | None = Field(None, ge=0, le=2000)
    funding: Text = Field("", max_length=2000)
    visibility: Visibility = Visibility.PRIVATE
    plan_id: ApiId | None = None


class NeedPatch(Schema):
    areas: list[Line] | None = Field(None, min_length=1, max_length=30)
    service_area: ServiceArea | None = None
    unit: Line | None = Field(None, min_length=1, max_length=200)
    description: Text | None = Field(None, max_length=5000)
    people: int | None = Field(None, ge=1, le=MAX_PEOPLE)
    deadline: Day | None = None
    urgency: Urgency | None = None
    drivers: list[Driver] | None = None
    driver_other: Line | None = Field(None, max_length=200)
    online_ok: bool | None = None
    part_time_ok: bool | None = None
    evenings_ok: bool | None = None
    max_travel_minutes: int | None = Field(None, ge=0, le=600)
    max_travel_km: int | None = Field(None, ge=0, le=2000)
    funding: Text | None = Field(None, max_length=2000)
    visibility: Visibility | None = None
    plan_id: ApiId | None = None
    status: Status | None = Field(None, description="Publish, withdraw or move the need along")


def _need_data(payload: dict) -> tuple[dict, list[str] | None]:
    codes = payload.pop("areas", None)
    if "plan_id" in payload:
        payload["plan"] = payload.pop("plan_id")
    for key in ("service_area", "urgency", "visibility"):
        if payload.get(key) is not None:
            payload[key] = str(
                payload[key].value if hasattr(payload[key], "value") else payload[key]
            )
    if payload.get("drivers") is not None:
        payload["drivers"] = [str(getattr(d, "value", d)) for d in payload["drivers"]]
    return payload, codes


def _need(request: HttpRequest, need_id: ApiId) -> Need:
    qs = selectors.with_readable_plan(selectors.need_list(actor=actor(request)), actor(request))
    return get_object_or_404(qs, pk=need_id)


@router.get("/needs", response=list[NeedOut], auth=SIGNED_IN)
@paginate
def list_needs(request: HttpRequest, filters: Query[NeedFilter]):  # type: ignore[no-untyped-def]
    """Published needs (anyone signed in) and your own organisation's drafts and internal needs."""
    qs = selectors.need_list(
        actor=actor(request),
        area=filters.area,
        county=filters.county,
        status=filters.status.value if filters.status else "",
        organisation=filters.organisation,
    )
    return selectors.with_readable_plan(qs, actor(request))


@router.get("/needs/{need_id}", response=NeedOut, auth=SIGNED_IN)
def get_need(request: HttpRequest, need_id: ApiId) -> Need:
    return _need(request, need_id)


@router.post("/needs", response={201: NeedOut}, auth=SIGNED_IN)
def create_need(request: HttpRequest, payload: NeedIn):  # type: ignore[no-untyped-def]
    """Record a need as a draft (editors and administrators of the organisation)."""
    data, codes = _need_data(payload.dict())
    org_id = data.pop("organisation_id")
    org = get_object_or_404(
        selectors.member_organisations(actor(request))
        | selectors.editable_organisations(actor(request)),
        pk=org_id,
    )
    need = services.need_create(
        actor=actor(request), organisation=org, data=data, area_codes=codes or []
    )
    return 201, _need(request, need.pk)


@router.patch("/needs/{need_id}", response=NeedOut, auth=SIGNED_IN)
def update_need(request: HttpRequest, need_id: ApiId, payload: NeedPatch) -> Need:
    need = _need(request, need_id)
    data, codes = _need_data(patch_data(payload, Need))
    status = data.pop("status", None)
    with transaction.atomic():
        if data or codes is not None:
            services.need_update(actor=actor(request), need=need, data=data, area_codes=codes)
        if status is not None and status != need.status:
            services.need_set_status(actor=actor(request), need=need, status=str(status))
    return _need(request, need_id)


class PersonRef(Schema):
    id: int
    name: str = Field(alias="display_name")


class CompetencePlanOut(Schema):
    id: int
    organisation: OrganisationRef
    title: str
    start_year: int
    end_year: int
    summary: str
    owner: PersonRef | None
    visibility: str
    approved_by_name: str
    approved_at: dt.datetime | None
    needs: list[int]

    @staticmethod
    def resolve_needs(obj: CompetencePlan) -> list[int]:
        ids = getattr(obj, "api_need_ids", None)  # set for a page by _attach_need_ids
        return ids if ids is not None else [n.pk for n in obj.needs.all()]


class PlanIn(Schema):
    organisation_id: ApiId
    title: Line = Field(min_length=1, max_length=200)
    start_year: int = Field(ge=2000, le=2100)
    end_year: int = Field(ge=2000, le=2100)
    summary: Text = Field("", max_length=5000)
    visibility: Visibility = Visibility.PRIVATE
    needs: list[ApiId] = Field([], max_length=500)


class PlanPatch(Schema):
    title: Line | None = Field(None, min_length=1, max_length=200)
    start_year: int | None = Field(None, ge=2000, le=2100)
    end_year: int | None = Field(None, ge=2000, le=2100)
    summary: Text | None = Field(None, max_length=5000)
    visibility: Visibility | None = None
    needs: list[ApiId] | None = Field(None, max_length=500)
    approve: bool | None = Field(None, description="true records your approval (administrators)")


def _plan(request: HttpRequest, plan_id: ApiId) -> CompetencePlan:
    return get_object_or_404(
        selectors.plan_list(actor=actor(request)).prefetch_related(
            selectors.readable_plan_needs(actor(request))
        ),
        pk=plan_id,
    )


@router.get("/plans", response=list[CompetencePlanOut], auth=SIGNED_IN)
@paginate
def list_plans(request: HttpRequest, organisation: ApiId | None = None):  # type: ignore[no-untyped-def]
    """Competence plans you may see: shared ones, and your own organisation's."""
    who = actor(request)

    def attach_need_ids(plans: list[CompetencePlan]) -> None:
        # The readable needs of the page's plans as (plan, need) id pairs in one query: a
        # city's plans hold hundreds of needs each, and only their ids are listed.
        ids: dict[int, list[int]] = {plan.pk: [] for plan in plans}
        for plan_id, need_id in (
            Need.objects.visible_to(who)
            .filter(plan__in=list(ids))
            .order_by("id")
            .values_list("plan_id", "id")
        ):
            ids[plan_id].append(need_id)
        for plan in plans:
            plan.api_need_ids = ids[plan.pk]  # type: ignore[attr-defined]

    return Mapped(
        selectors.plan_list(actor=who, organisation=organisation).order_by("id"),
        prepare=attach_need_ids,
    )


@router.get("/plans/{plan_id}", response=CompetencePlanOut, auth=SIGNED_IN)
def get_plan(request: HttpRequest, plan_id: ApiId) -> CompetencePlan:
    return _plan(request, plan_id)


@router.post("/plans", response={201: CompetencePlanOut}, auth=SIGNED_IN)
def create_plan(request: HttpRequest, payload: PlanIn):  # type: ignore[no-untyped-def]
    data = payload.dict()
    org = get_object_or_404(
        selectors.member_organisations(actor(request))
        | selectors.editable_organisations(actor(request)),
        pk=data.pop("organisation_id"),
    )
    needs = data.pop("needs")
    data["visibility"] = str(getattr(data["visibility"], "value", data["visibility"]))
    with transaction.atomic():
        plan = services.plan_create(actor=actor(request), organisation=org, data=data)
        if needs:
            services.plan_set_needs(actor=actor(request), plan=plan, need_ids=needs)
    return 201, _plan(request, plan.pk)


@router.patch("/plans/{plan_id}", response=CompetencePlanOut, auth=SIGNED_IN)
def update_plan(request: HttpRequest, plan_id: ApiId, payload: PlanPatch) -> CompetencePlan:
    plan = _plan(request, plan_id)
    data = patch_data(payload, CompetencePlan)
    needs = data.pop("needs", None)
    approve = data.pop("approve", None)
    if data.get("visibility") is not None:
        data["visibility"] = str(getattr(data["visibility"], "value", data["visibility"]))
    with transaction.atomic():
        if data:
            services.plan_update(actor=actor(request), plan=plan, data=data)
        if needs is not None:
            services.plan_set_needs(actor=actor(request), plan=plan, need_ids=needs)
        if approve:
            services.plan_approve(actor=actor(request), plan=plan)
    return _plan(request, plan_id)


class PlanNeedsIn(Schema):
    needs: list[ApiId] = Field(
        min_length=1,
        max_length=services.MAX_NEEDS_AT_ONCE,
        description="Needs of the plan's organisation to add (a need in another plan moves)",
    )


@router.post("/plans/{plan_id}/needs", response=CompetencePlanOut, auth=SIGNED_IN)
def add_plan_needs(request: HttpRequest, plan_id: ApiId, payload: PlanNeedsIn) -> CompetencePlan:
    """Add needs to a plan (its organisation's editors); the others in it stay. If any of
    them cannot be added, nothing is."""
    plan = _plan(request, plan_id)
    services.plan_add_needs(actor=actor(request), plan=plan, need_ids=payload.needs)
    return _plan(request, plan_id)


@router.delete("/plans/{plan_id}/needs/{need_id}", response={204: None}, auth=SIGNED_IN)
def remove_plan_need(request: HttpRequest, plan_id: ApiId, need_id: ApiId) -> Reply:
    """Take one need out of a plan (its organisation's editors); the need itself stays."""
    plan = _plan(request, plan_id)
    services.plan_remove_need(actor=actor(request), plan=plan, need_id=need_id)
    return Reply(204, None)
