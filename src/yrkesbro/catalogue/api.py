"""API for the catalogue: search programmes, read plans, and edit a school's own programmes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from yrkesbro.catalogue import analysis, selectors, services
from yrkesbro.catalogue.models import (
    SCHOOL_KINDS,
    Delivery,
    Funding,
    NationalPlan,
    NkrLevel,
    Offering,
    OfferingStatus,
    Pace,
    Programme,
)
from yrkesbro.catalogue.models import Field as ProgrammeField
from yrkesbro.core.api import MAX_OFFSET, PUBLIC, SIGNED_IN, actor, patch_data
from yrkesbro.core.api_types import Day, Digits, Line, Text
from yrkesbro.core.errors import DomainError
from yrkesbro.core.inputs import ApiId
from yrkesbro.organisations.models import Kind, Organisation

router = Router(tags=["catalogue"])

#: A competence area's code (``demens``), as in the taxonomy.
AreaCode = Annotated[Line, Field(max_length=40)]


class SchoolRef(Schema):
    id: int
    name: str


class PlanRef(Schema):
    code: str
    title: str


class OfferingOut(Schema):
    id: int
    code: str
    municipality: dict[str, Any] | None
    place: str
    delivery: str
    pace: str
    start_date: dt.date
    end_date: dt.date | None
    semesters: int
    seats: int | None
    price_nok: int
    funding: str
    application_deadline: dt.date | None
    status: str


class ProgrammeOut(Schema):
    id: int
    code: str
    title: str
    school: SchoolRef
    national_plan: PlanRef | None
    field: str
    credits: int
    nkr_level: str
    competence_areas: list[str] = Field(
        default_factory=list, description="Codes of the programme's own competence areas"
    )
    offerings: list[OfferingOut]
    score: float | None = None
    matched: list[str] = Field(default_factory=list, description="Index terms that matched")


class ProgrammeDetailOut(ProgrammeOut):
    description: str
    outcomes_knowledge: str
    outcomes_skills: str
    outcomes_general_competence: str
    admission_requirements: str
    nokut_accredited_on: dt.date | None
    is_demo: bool


class ProgrammeList(Schema):
    count: int = Field(
        description="How many programmes match; with `q`, counted up to 1,000 (see `more`)"
    )
    more: bool = Field(
        False,
        description="True when more than `count` programmes match `q`: only the best "
        "1,000 are ranked; narrow the search to see the others",
    )
    items: list[ProgrammeOut]


class NationalPlanOut(Schema):
    code: str
    field: str
    credits: int
    title_nb: str
    title_en: str
    description_nb: str


class ProgrammeQuery(Schema):
    q: Line = Field("", max_length=2000, description="Words in bokmål, nynorsk or English")
    field: ProgrammeField | None = None
    plan: Line = Field("", max_length=20, description="National plan code, e.g. DEMENS")
    county: Digits = Field("", max_length=10, description="County number (e.g. 34) or id")
    municipality: Digits = Field("", max_length=10, description="Municipality number or id")
    near: Digits = Field("", max_length=10, description="Municipality number or id")
    radius_km: int | None = Field(None, ge=1, le=2000)
    delivery: Delivery | None = None
    pace: Pace | None = None
    funding: Funding | None = None
    within_months: int | None = Field(None, ge=0, le=60)
    school: ApiId | None = None
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _offering(o: Offering) -> dict[str, Any]:
    m = o.municipality
    return {
        "id": o.pk,
        "code": o.code,
        "municipality": {"id": m.pk, "number": m.number, "name": m.name} if m else None,
        "place": o.place,
        "delivery": o.delivery,
        "pace": o.pace,
        "start_date": o.start_date,
        "end_date": o.end_date,
        "semesters": o.semesters,
        "seats": o.seats,
        "price_nok": o.price_nok,
        "funding": o.funding,
        "application_deadline": o.application_deadline,
        "status": o.status,
    }


def _programme(p: Programme, score: float | None = None, matched: Any = ()) -> dict[str, Any]:
    plan = p.national_plan
    return {
        "id": p.pk,
        "code": p.code,
        "title": p.title,
        "school": {"id": p.school.pk, "name": p.school.name},
        "national_plan": {"code": plan.code, "title": plan.title} if plan else None,
        "field": p.field,
        "credits": p.credits,
        "nkr_level": p.nkr_level,
        "competence_areas": sorted(a.code for a in p.competence_areas.all()),
        "offerings": [_offering(o) for o in p.offerings.all()],  # type: ignore[attr-defined]
        "score": score,
        # Compound parts are indexed as "+part"; a client sees the part itself.
        "matched": sorted({term.removeprefix(analysis.PART) for term in matched}),
        "description": p.description,
        "outcomes_knowledge": p.outcomes_knowledge,
        "outcomes_skills": p.outcomes_skills,
        "outcomes_general_competence": p.outcomes_general_competence,
        "admission_requirements": p.admission_requirements,
        "nokut_accredited_on": p.nokut_accredited_on,
        "is_demo": p.is_demo,
    }


@router.get("/programmes", response=ProgrammeList, auth=PUBLIC)
def list_programmes(request: HttpRequest, filters: Query[ProgrammeQuery]) -> dict[str, Any]:
    """Programmes, ranked by the Norwegian search when `q` is given; public."""
    data = filters.dict()
    limit, offset = data.pop("limit"), data.pop("offset")
    values = {k: v for k, v in data.items() if v not in ("", None)}
    results = selectors.programme_search(actor=actor(request), filters=selectors.Filters(**values))
    count = len(results)  # counted first, as the page does: one query however many match
    page = results[offset : offset + limit]
    return {
        "count": count,
        "more": results.more,
        "items": [_programme(r.programme, r.score, r.terms) for r in page],
    }


@router.get("/programmes/{programme_id}", response=ProgrammeDetailOut, auth=PUBLIC)
def get_programme(request: HttpRequest, programme_id: ApiId) -> dict[str, Any]:
    programme = get_object_or_404(
        Programme.objects.visible_to(actor(request))
        .select_related("school", "national_plan")
        .prefetch_related("offerings__municipality", "competence_areas"),
        pk=programme_id,
    )
    return _programme(programme)


class ProgrammeIn(Schema):
    school_id: ApiId
    national_plan: Line | None = Field(None, max_length=20, description="Plan code or null")
    code: Line = Field("", max_length=40)
    title: Line = Field(min_length=1, max_length=200)
    field: ProgrammeField | None = None
    credits: int = Field(ge=30, le=120)
    nkr_level: NkrLevel = NkrLevel.L51
    description: Text = Field("", max_length=10000)
    outcomes_knowledge: Text = Field("", max_length=5000)
    outcomes_skills: Text = Field("", max_length=5000)
    outcomes_general_competence: Text = Field("", max_length=5000)
    admission_requirements: Text = Field("", max_length=5000)
    nokut_accredited_on: Day | None = None
    competence_areas: list[AreaCode] = Field(
        default_factory=list,
        max_length=10,
        description="Codes of competence areas the programme covers beyond its national plan",
    )


class ProgrammePatch(Schema):
    national_plan: Line | None = Field(None, max_length=20)
    code: Line | None = Field(None, max_length=40)
    title: Line | None = Field(None, min_length=1, max_length=200)
    field: ProgrammeField | None = None
    credits: int | None = Field(None, ge=30, le=120)
    nkr_level: NkrLevel | None = None
    description: Text | None = Field(None, max_length=10000)
    outcomes_knowledge: Text | None = Field(None, max_length=5000)
    outcomes_skills: Text | None = Field(None, max_length=5000)
    outcomes_general_competence: Text | None = Field(None, max_length=5000)
    admission_requirements: Text | None = Field(None, max_length=5000)
    nokut_accredited_on: Day | None = None
    competence_areas: list[AreaCode] | None = Field(
        None, max_length=10, description="Codes of the own competence areas (replaces them)"
    )


def _plan(code: str | None) -> NationalPlan | None:
    if not code:
        return None
    plan = NationalPlan.objects.filter(code=code).first()
    if plan is None:
        raise DomainError(_("No national plan has this code."), field="national_plan")
    return plan


def _reload(programme: Programme) -> dict[str, Any]:
    fresh = (
        Programme.objects.select_related("school", "national_plan")
        .prefetch_related("offerings__municipality", "competence_areas")
        .get(pk=programme.pk)
    )
    return _programme(fresh)


@router.post("/programmes", response={201: ProgrammeDetailOut}, auth=SIGNED_IN)
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Any:
    """Publish a programme for a school where you are an editor."""
    data = payload.dict()
    school = get_object_or_404(
        Organisation.objects.filter(kind__in=SCHOOL_KINDS), pk=data.pop("school_id")
    )
    data["national_plan"] = _plan(data["national_plan"])
    if data["field"] is None:
        data["field"] = data["national_plan"].field if data["national_plan"] else ""
    programme = services.programme_create(actor=actor(request), school=school, data=data)
    return Status(201, _reload(programme))


def _editable(request: HttpRequest, programme_id: ApiId) -> Programme:
    # Outsiders get 404: whether they may edit is not theirs to learn.
    return get_object_or_404(
        Programme.objects.editable_by(actor(request)).select_related("school"), pk=programme_id
    )


@router.patch("/programmes/{programme_id}", response=ProgrammeDetailOut, auth=SIGNED_IN)
def update_programme(request: HttpRequest, programme_id: ApiId, payload: ProgrammePatch) -> Any:
    programme = _editable(request, programme_id)
    data = patch_data(payload, Programme)
    if "national_plan" in data:
        data["national_plan"] = _plan(data["national_plan"])
    programme = services.programme_update(actor=actor(request), programme=programme, data=data)
    return _reload(programme)


@router.delete("/programmes/{programme_id}", response={204: None}, auth=SIGNED_IN)
def delete_programme(request: HttpRequest, programme_id: ApiId) -> Any:
    services.programme_delete(actor=actor(request), programme=_editable(request, programme_id))
    return Status(204, None)


class OfferingIn(Schema):
    municipality_number: Digits = Field("", max_length=4, description="Blank for online")
    code: Line = Field("", max_length=40)
    place: Line = Field("", max_length=200)
    delivery: Delivery
    pace: Pace
    start_date: Day
    end_date: Day | None = None
    semesters: int = Field(ge=1, le=8)
    seats: int | None = Field(None, ge=0, le=10000)
    price_nok: int = Field(0, ge=0, le=1_000_000)
    funding: Funding
    application_deadline: Day | None = None
    status: OfferingStatus = OfferingStatus.PLANNED


@router.post("/programmes/{programme_id}/offerings", response={201: OfferingOut}, auth=SIGNED_IN)
def create_offering(request: HttpRequest, programme_id: ApiId, payload: OfferingIn) -> Any:
    programme = _editable(request, programme_id)
    data = payload.dict()
    number = data.pop("municipality_number")
    data["municipality"] = (
        get_object_or_404(Organisation, kind=Kind.MUNICIPALITY, number=number) if number else None
    )
    offering = services.offering_create(actor=actor(request), programme=programme, data=data)
    return Status(201, _offering(offering))


class OfferingPatch(Schema):
    municipality_number: Digits | None = Field(None, max_length=4, description="Blank for online")
    code: Line | None = Field(None, max_length=40)
    place: Line | None = Field(None, max_length=200)
    delivery: Delivery | None = None
    pace: Pace | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    semesters: int | None = Field(None, ge=1, le=8)
    seats: int | None = Field(None, ge=0, le=10000)
    price_nok: int | None = Field(None, ge=0, le=1_000_000)
    funding: Funding | None = None
    application_deadline: Day | None = None
    status: OfferingStatus | None = None


def _editable_offering(request: HttpRequest, offering_id: ApiId) -> Offering:
    return get_object_or_404(
        Offering.objects.editable_by(actor(request)).select_related("programme__school"),
        pk=offering_id,
    )


@router.patch("/offerings/{offering_id}", response=OfferingOut, auth=SIGNED_IN)
def update_offering(request: HttpRequest, offering_id: ApiId, payload: OfferingPatch) -> Any:
    offering = _editable_offering(request, offering_id)
    data = patch_data(payload, Offering)
    if "municipality_number" in data:
        number = data.pop("municipality_number")
        data["municipality"] = (
            get_object_or_404(Organisation, kind=Kind.MUNICIPALITY, number=number)
            if number
            else None
        )
    offering = services.offering_update(actor=actor(request), offering=offering, data=data)
    return _offering(offering)


@router.delete("/offerings/{offering_id}", response={204: None}, auth=SIGNED_IN)
def delete_offering(request: HttpRequest, offering_id: ApiId) -> Any:
    offering = _editable_offering(request, offering_id)
    services.offering_delete(actor=actor(request), offering=offering)
    return Status(204, None)


@router.get("/national-plans", response=list[NationalPlanOut], auth=PUBLIC)
def list_plans(request: HttpRequest) -> Any:
    """The national plans (codes as in the reference data)."""
    return NationalPlan.objects.visible_to(actor(request))
