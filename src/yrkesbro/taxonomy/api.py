"""API for the competence taxonomy: public reads."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from yrkesbro.core.api import PUBLIC
from yrkesbro.core.api_types import Line
from yrkesbro.taxonomy import selectors
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
