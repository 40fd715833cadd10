"""API for upper-secondary VET: the public supply/demand aggregates and the trades register,
offers and placements through their visibility (a workplace never gets a pupil's full name).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yrkesbro.accounts.models import User
from yrkesbro.core.api import PUBLIC, SIGNED_IN, Mapped, actor
from yrkesbro.core.api_types import Day, Digits, Line, Text
from yrkesbro.core.inputs import ApiId
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.vet import selectors, services
from yrkesbro.vet.models import Demand, Hospitering, HospiteringStatus, Outcome, Placement, Side

router = Router(tags=["vet"])


class TradeRef(Schema):
    code: str
    name: str


class ProgrammeRef(Schema):
    code: str


class SupplyDemandItem(Schema):
    trade: TradeRef
    programme: ProgrammeRef
    places_offered: int
    pupils_seeking: int
    shortfall: int = Field(description="pupils_seeking - places_offered; negative is a surplus")


class SupplyDemandOut(Schema):
    count: int
    items: list[SupplyDemandItem]


class SupplyDemandQuery(Schema):
    county: Digits | None = Field(
        None, min_length=2, max_length=2, description="county number, e.g. 34"
    )
    year: int | None = Field(None, ge=2000, le=2100, description="school year's autumn year")


@router.get("/vet/supply-demand", response=SupplyDemandOut, auth=PUBLIC)
def supply_demand(request: HttpRequest, filters: Query[SupplyDemandQuery]) -> dict[str, object]:
    """Apprenticeship places offered against Vg2 pupils seeking, per trade in the register,
    for a county or the whole country; the largest shortfall first. Aggregates only."""
    county = None
    if filters.county:
        county = Organisation.objects.filter(kind=Kind.COUNTY, number=filters.county).first()
        if county is None:
            raise Http404
    year = filters.year
    if year is None:
        years = selectors.school_years()
        current = services.current_school_year()
        year = current if current in years or not years else years[0]
    view = selectors.supply_demand(county=county, school_year=year)
    items = [
        {
            "trade": {"code": r.code, "name": r.name},
            "programme": {"code": r.programme_code},
            "places_offered": r.places_offered,
            "pupils_seeking": r.pupils_seeking,
            "shortfall": r.shortfall,
        }
        for r in view.rows
    ]
    return {"count": len(items), "items": items}


class TradeOut(Schema):
    code: str
    name: str
    programme_code: str
    programme_name: str


@router.get("/vet/trades", response=list[TradeOut], auth=PUBLIC)
@paginate
def trades(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The trades register (active trades)."""
    return selectors.trades()


class PlacesOfferOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    trade: TradeRef
    kind: str
    school_year: int
    places: int
    booked: int
    starts_on: dt.date | None
    approval: str
    level: str
    weeks: str
    hours: int | None
    instructor_name: str
    instructor_email: str
    instructor_phone: str


def _offer_out(o: object) -> dict[str, object]:
    return {
        "id": o.pk,  # type: ignore[attr-defined]
        "organisation_id": o.organisation_id,  # type: ignore[attr-defined]
        "organisation": o.organisation.name,  # type: ignore[attr-defined]
        "trade": {"code": o.trade.code, "name": o.trade.name},  # type: ignore[attr-defined]
        **{
            f: getattr(o, f)
            for f in (
                "kind",
                "school_year",
                "places",
                "booked",
                "starts_on",
                "approval",
                "level",
                "weeks",
                "hours",
                "instructor_name",
                "instructor_email",
                "instructor_phone",
            )
        },
    }


@router.get("/vet/offers", response=list[PlacesOfferOut], auth=SIGNED_IN)
@paginate
def offers(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Offers you may see: your own, those shared with your school, your county's.
    Internal notes are never in the API."""
    return Mapped(selectors.offers(actor(request)).order_by("-school_year", "id"), _offer_out)


class PlacesOfferIn(Schema):
    organisation_id: ApiId
    trade_code: Line = Field(max_length=20)
    kind: Line = Field(max_length=20)
    school_year: int = Field(ge=2000, le=2100)
    places: int = Field(ge=1, le=10_000)
    instructor_name: Line = Field(max_length=200)
    instructor_email: Line = Field("", max_length=254)
    instructor_phone: Line = Field("", max_length=30)
    instructor_id: ApiId | None = Field(None, description="the instructor's user id, who assesses")
    starts_on: Day | None = None
    approval: Line = Field("", max_length=20)
    level: Line = Field("", max_length=3)
    weeks: Line = Field("", max_length=100)
    hours: int | None = Field(None, ge=1, le=10_000)
    internal_note: Text = Field("", max_length=4000)
    shared_with: list[ApiId] = Field(default_factory=list, max_length=200)


@router.post("/vet/offers", response={201: PlacesOfferOut}, auth=SIGNED_IN)
def create_offer(request: HttpRequest, payload: PlacesOfferIn):  # type: ignore[no-untyped-def]
    """Offer apprenticeship places or YFF practice (editors of a company, training office
    or municipality)."""
    user = actor(request)
    data = payload.dict()
    organisation = get_object_or_404(Organisation.objects.all(), pk=data.pop("organisation_id"))
    instructor_id = data.pop("instructor_id")
    instructor = None
    if instructor_id is not None:
        instructor = get_object_or_404(User.objects.filter(is_active=True), pk=instructor_id)
    schools = list(
        Organisation.objects.filter(
            pk__in=data.pop("shared_with"), kind=Kind.UPPER_SECONDARY_SCHOOL
        )
    )
    made = services.offer_create(
        actor=user, organisation=organisation, shared_with=schools, instructor=instructor, **data
    )
    return Status(201, _offer_out(selectors.offers(user).get(pk=made.pk)))


class PlacementOut(Schema):
    id: int
    offer_id: int
    trade: TradeRef
    school_id: int
    school: str
    workplace: str
    pupil: str = Field(
        description="the full name for the school, the first name for the workplace; "
        "empty once names are removed"
    )
    starts_on: dt.date
    ends_on: dt.date
    hours: int


def _placement_out(label: Any, p: Placement) -> dict[str, object]:
    return {
        "id": p.pk,
        "offer_id": p.offer_id,
        "trade": {"code": p.offer.trade.code, "name": p.offer.trade.name},
        "school_id": p.school_id,
        "school": p.school.name,
        "workplace": p.offer.organisation.name,
        "pupil": label(p),
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "hours": p.hours,
    }


@router.get("/vet/placements", response=list[PlacementOut], auth=SIGNED_IN)
@paginate
def placements(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Placements your school booked or your workplace hosts."""
    user = actor(request)
    label = selectors.pupil_labeller(user)
    return Mapped(selectors.placements(user), lambda p: _placement_out(label, p))


class PlacementIn(Schema):
    offer_id: ApiId
    school_id: ApiId
    pupil_name: Line = Field(max_length=200)
    starts_on: Day
    ends_on: Day
    hours: int = Field(ge=1, le=10_000)
    goals: Text = Field("", max_length=4000)
    tasks: Text = Field("", max_length=4000)


@router.post("/vet/placements", response={201: PlacementOut}, auth=SIGNED_IN)
def book_placement(request: HttpRequest, payload: PlacementIn):  # type: ignore[no-untyped-def]
    """Book a pupil onto a YFF offer shared with your school."""
    user = actor(request)
    data = payload.dict()
    offer = get_object_or_404(selectors.offers(user), pk=data.pop("offer_id"))
    school = get_object_or_404(
        Organisation.objects.filter(kind=Kind.UPPER_SECONDARY_SCHOOL), pk=data.pop("school_id")
    )
    made = services.placement_book(actor=user, offer=offer, school=school, **data)
    placement = selectors.placements(user).get(pk=made.pk)
    return Status(201, _placement_out(selectors.pupil_labeller(user), placement))


class AssessmentIn(Schema):
    outcome: Outcome
    comment: Text = Field("", max_length=4000)
    would_take_apprentice: bool | None = None


class AssessmentOut(Schema):
    side: str
    outcome: str
    comment: str
    would_take_apprentice: bool | None


@router.post(
    "/vet/placements/{placement_id}/assessments", response={201: AssessmentOut}, auth=SIGNED_IN
)
def assess(request: HttpRequest, placement_id: ApiId, payload: AssessmentIn):  # type: ignore[no-untyped-def]
    """The placement's teacher or instructor gives their side's assessment, once."""
    user = actor(request)
    placement = get_object_or_404(selectors.placements(user), pk=placement_id)
    made = services.assessment_submit(
        actor=user,
        placement=placement,
        outcome=str(payload.outcome),
        comment=payload.comment,
        would_take_apprentice=payload.would_take_apprentice,
    )
    return Status(201, made)


@router.post("/vet/placements/{placement_id}/agree", response=PlacementOut, auth=SIGNED_IN)
def agree_placement(request: HttpRequest, placement_id: ApiId) -> dict[str, object]:
    """Agree to the local curriculum (goals and tasks) for your side: school or workplace."""
    user = actor(request)
    placement = get_object_or_404(selectors.placements(user), pk=placement_id)
    services.placement_agree(actor=user, placement=placement)
    return _placement_out(
        selectors.pupil_labeller(user), selectors.placements(user).get(pk=placement_id)
    )


class DemandOut(Schema):
    id: int
    school_id: int
    trade: TradeRef
    school_year: int
    yff_pupils: int
    apprenticeship_seekers: int


class DemandIn(Schema):
    school_id: ApiId
    trade_code: Line = Field(max_length=20)
    school_year: int = Field(ge=2000, le=2100)
    yff_pupils: int = Field(ge=0, le=100_000)
    apprenticeship_seekers: int = Field(ge=0, le=100_000)


def _demand_out(d: Demand) -> dict[str, object]:
    return {
        "id": d.pk,
        "school_id": d.school_id,
        "trade": {"code": d.trade.code, "name": d.trade.name},
        "school_year": d.school_year,
        "yff_pupils": d.yff_pupils,
        "apprenticeship_seekers": d.apprenticeship_seekers,
    }


@router.get("/vet/demand", response=list[DemandOut], auth=SIGNED_IN)
@paginate
def demand(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Your schools' figures per trade and school year (and your county's schools')."""
    qs = selectors.demand(actor(request)).select_related("trade")
    return Mapped(qs.order_by("-school_year", "school_id", "trade__code"), _demand_out)


@router.put("/vet/demand", response=DemandOut, auth=SIGNED_IN)
def set_demand(request: HttpRequest, payload: DemandIn) -> dict[str, object]:
    """Record or correct a school's figures for one trade and school year (its editors)."""
    school = get_object_or_404(Organisation, pk=payload.school_id)
    made = services.demand_set(
        actor=actor(request), school=school, **payload.dict(exclude={"school_id"})
    )
    return _demand_out(made)


class HospiteringOut(Schema):
    id: int
    partnership_id: int
    agreement_id: int | None
    school_id: int
    workplace_id: int
    asked_by_side: Side
    participant: str
    status: HospiteringStatus
    starts_on: dt.date
    ends_on: dt.date
    days: int
    goals: str
    school_report: str
    workplace_report: str


class HospiteringIn(Schema):
    partnership_id: ApiId
    agreement_id: ApiId | None = None
    school_id: ApiId
    workplace_id: ApiId
    asked_by_side: Side
    participant: Line = Field(min_length=1, max_length=200)
    starts_on: Day
    ends_on: Day
    days: int = Field(ge=1, le=365)
    goals: Text = Field(min_length=1, max_length=4000)


class HospiteringAnswerIn(Schema):
    accept: bool


class HospiteringReportIn(Schema):
    side: Side
    report: Text = Field(min_length=1, max_length=4000)


@router.get("/vet/hospitering", response=list[HospiteringOut], auth=SIGNED_IN)
@paginate
def hospitering_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Exchanges (hospitering) between your schools and workplaces."""
    return selectors.hospiterings(actor(request)).order_by("-starts_on", "-id")


@router.post("/vet/hospitering", response={201: HospiteringOut}, auth=SIGNED_IN)
def hospitering_ask(request: HttpRequest, payload: HospiteringIn):  # type: ignore[no-untyped-def]
    """Ask for days in a workplace (school side), or offer days (workplace side)."""
    from yrkesbro.collaboration.models import Agreement, Partnership

    user = actor(request)
    partnership = get_object_or_404(Partnership.objects.private_to(user), pk=payload.partnership_id)
    agreement = None
    if payload.agreement_id is not None:
        agreement = get_object_or_404(Agreement.objects.visible_to(user), pk=payload.agreement_id)
    data = payload.dict(exclude={"partnership_id", "agreement_id", "school_id", "workplace_id"})
    made = services.hospitering_ask(
        actor=user,
        partnership=partnership,
        agreement=agreement,
        school=get_object_or_404(Organisation, pk=payload.school_id),
        workplace=get_object_or_404(Organisation, pk=payload.workplace_id),
        **data,
    )
    return Status(201, made)


def _hospitering(request: HttpRequest, item_id: int) -> Hospitering:
    return get_object_or_404(selectors.hospiterings(actor(request)), pk=item_id)


@router.post("/vet/hospitering/{item_id}/answer", response=HospiteringOut, auth=SIGNED_IN)
def hospitering_answer(request: HttpRequest, item_id: ApiId, payload: HospiteringAnswerIn):  # type: ignore[no-untyped-def]
    """The side that did not ask accepts or declines."""
    return services.hospitering_answer(
        actor=actor(request), hospitering=_hospitering(request, item_id), accept=payload.accept
    )


@router.post("/vet/hospitering/{item_id}/report", response=HospiteringOut, auth=SIGNED_IN)
def hospitering_report(request: HttpRequest, item_id: ApiId, payload: HospiteringReportIn):  # type: ignore[no-untyped-def]
    """Your side's short report after the exchange."""
    return services.hospitering_report(
        actor=actor(request),
        hospitering=_hospitering(request, item_id),
        side=payload.side,
        report=payload.report,
    )
