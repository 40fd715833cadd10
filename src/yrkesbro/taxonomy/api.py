"""API for the competence taxonomy: public reads; platform administrators edit it."""

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yrkesbro.core.api import PUBLIC, SIGNED_IN, actor
from yrkesbro.core.api_types import Line, Text
from yrkesbro.taxonomy import selectors, services
from yrkesbro.taxonomy.models import AreaField, CompetenceArea

router = Router(tags=["taxonomy"])


class AreaOut(Schema):
    code: str = Field(description="Stable code, e.g. demens")
    field: str
    name: str = Field(description="Name in the request's language")
    name_nb: str
    name_nn: str
    name_en: str
    synonyms: list[str]
    national_plans: list[str] = Field(description="Codes of the national plans covering the area")
    is_active: bool

    @staticmethod
    def resolve_synonyms(obj: CompetenceArea) -> list[str]:
        return obj.synonym_list()

    @staticmethod
    def resolve_national_plans(obj: CompetenceArea) -> list[str]:
        return [plan.code for plan in obj.national_plans.all()]


class AreaFilter(Schema):
    field: AreaField | None = None
    include_inactive: bool = False


@router.get("/competence-areas", response=list[AreaOut], auth=PUBLIC)
@paginate
def list_areas(request: HttpRequest, filters: Query[AreaFilter]):  # type: ignore[no-untyped-def]
    """The competence taxonomy with each area's national plans; public."""
    return selectors.area_list(include_inactive=filters.include_inactive, field=filters.field or "")


@router.get("/competence-areas/{code}", response=AreaOut, auth=PUBLIC)
def get_area(request: HttpRequest, code: Line) -> CompetenceArea:
    return get_object_or_404(selectors.area_list(include_inactive=True), code=code)


class AreaPatch(Schema):
    field: AreaField | None = None
    name_nb: Line | None = Field(None, min_length=1, max_length=200)
    name_nn: Line | None = Field(None, max_length=200)
    name_en: Line | None = Field(None, min_length=1, max_length=200)
    synonyms: Text | None = Field(None, max_length=5000, description="Comma-separated")
    national_plans: list[Line] | None = Field(
        None, max_length=200, description="Codes of the national plans covering the area"
    )
    is_active: bool | None = None


class AreaIn(AreaPatch):
    code: Line = Field(min_length=1, max_length=40, description="Stable code, e.g. demens")
    field: AreaField  # type: ignore[assignment]
    name_nb: Line = Field(min_length=1, max_length=200)  # type: ignore[assignment]
    name_en: Line = Field(min_length=1, max_length=200)  # type: ignore[assignment]


def _save(request: HttpRequest, area: CompetenceArea | None, payload: AreaPatch) -> CompetenceArea:
    """As the edit page: fields, then national plans, then active, in one transaction."""
    data = payload.dict(exclude_unset=True, exclude_none=True)
    plans = data.pop("national_plans", None)
    active = data.pop("is_active", None)
    user = actor(request)
    with transaction.atomic():
        if area is None:
            area = services.area_create(actor=user, data=data, plan_codes=plans or [])
        else:
            if data:
                area = services.area_update(actor=user, area=area, data=data)
            if plans is not None:
                area = services.area_set_plans(actor=user, area=area, plan_codes=plans)
        if active is not None:
            area = services.area_set_active(actor=user, area=area, active=active)
    return get_object_or_404(selectors.area_list(include_inactive=True), pk=area.pk)


@router.post("/competence-areas", response={201: AreaOut}, auth=SIGNED_IN)
def create_area(request: HttpRequest, payload: AreaIn):  # type: ignore[no-untyped-def]
    """Add a competence area (platform administrators); a new taxonomy version."""
    return Status(201, _save(request, None, payload))


@router.patch("/competence-areas/{code}", response=AreaOut, auth=SIGNED_IN)
def update_area(request: HttpRequest, code: Line, payload: AreaPatch) -> CompetenceArea:
    """Change names, field, synonyms, national plans or whether the area is active."""
    area = get_object_or_404(selectors.area_list(include_inactive=True), code=code)
    return _save(request, area, payload)
