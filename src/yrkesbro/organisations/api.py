"""API for organisations."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yrkesbro.core.api import PUBLIC, SIGNED_IN, actor, patch_data
from yrkesbro.core.api_types import Digits, Line, Text
from yrkesbro.core.inputs import ApiId
from yrkesbro.organisations import selectors, services
from yrkesbro.organisations.models import Kind, Organisation

router = Router(tags=["organisations"])


class PlaceRef(Schema):
    id: int
    number: str
    name: str


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    number: str = Field(description="Municipality or county number, e.g. 0301; blank for others")
    org_number: str = Field(description="Organisation number (9 digits); blank when unknown")
    county: PlaceRef | None
    municipality: PlaceRef | None
    latitude: float | None
    longitude: float | None
    website: str
    is_active: bool
    is_demo: bool


class OrganisationFilter(Schema):
    q: Line = Field("", max_length=200, description="Name, number or organisation number")
    kind: Kind | None = None
    county: Digits = Field("", max_length=10, description="County number (e.g. 34) or id")


class OrganisationCreate(Schema):
    kind: Kind
    name: Line = Field(min_length=1, max_length=200)
    org_number: Line = Field("", max_length=20)
    municipality_id: ApiId | None = None
    website: Line = Field("", max_length=200)
    description: Text = Field("", max_length=5000)


class OrganisationPatch(Schema):
    name: Line | None = Field(None, min_length=1, max_length=200)
    org_number: Line | None = Field(None, max_length=20)
    website: Line | None = Field(None, max_length=200)
    description: Text | None = Field(None, max_length=5000)


@router.get("/organisations", response=list[OrganisationOut], auth=PUBLIC)
@paginate
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilter]):  # type: ignore[no-untyped-def]
    """Organisations, searchable by name or number; public."""
    return selectors.organisation_list(
        actor=actor(request), q=filters.q, kind=filters.kind or "", county=filters.county
    )


@router.get("/organisations/{org_id}", response=OrganisationOut, auth=PUBLIC)
def get_organisation(request: HttpRequest, org_id: ApiId) -> Organisation:
    return get_object_or_404(
        Organisation.objects.visible_to(actor(request)).select_related("county", "municipality"),
        pk=org_id,
    )


@router.post("/organisations", response={201: OrganisationOut}, auth=SIGNED_IN)
def create_organisation(request: HttpRequest, payload: OrganisationCreate):  # type: ignore[no-untyped-def]
    """Register a school, company, training office or agency (platform administrators)."""
    data = payload.dict()
    municipality_id = data.pop("municipality_id")
    if municipality_id is not None:
        data["municipality"] = get_object_or_404(
            Organisation, pk=municipality_id, kind=Kind.MUNICIPALITY
        )
    return Status(201, services.organisation_create(actor=actor(request), data=data))


@router.patch("/organisations/{org_id}", response=OrganisationOut, auth=SIGNED_IN)
def update_organisation(
    request: HttpRequest, org_id: ApiId, payload: OrganisationPatch
) -> Organisation:
    org = get_object_or_404(Organisation.objects.visible_to(actor(request)), pk=org_id)
    data = patch_data(payload, Organisation)
    return services.organisation_update(actor=actor(request), organisation=org, data=data)
