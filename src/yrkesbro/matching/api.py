"""API for matching: a need's matches, the public gap figures, requests and offers.

Matches are read through the need's visibility; requests are seen by the two parties
only; gaps are public aggregates (no need or organisation is named).
"""

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yrkesbro.catalogue.models import Offering
from yrkesbro.core.api import PUBLIC, SIGNED_IN, actor
from yrkesbro.core.api_types import Day, Digits, Line, Text
from yrkesbro.core.inputs import ApiId
from yrkesbro.matching import selectors, services, tasks
from yrkesbro.matching.models import Request, RequestKind, RequestStatus
from yrkesbro.needs.models import MAX_PEOPLE, Need
from yrkesbro.organisations.models import Organisation

router = Router(tags=["matching"])


class FactorOut(Schema):
    code: str = Field(description="area, content, delivery, distance, start, seats or funding")
    score: float
    weight: float
    text: str


class MatchOut(Schema):
    rank: int
    score: float
    offering_id: int
    programme_id: int
    programme: str
    school_id: int
    school: str
    delivery: str
    place: str
    start_date: dt.date
    factors: list[FactorOut]


@router.get("/needs/{need_id}/matches", response=list[MatchOut], auth=SIGNED_IN)
@paginate
def need_matches(request: HttpRequest, need_id: ApiId):  # type: ignore[no-untyped-def]
    """The need's best offerings, ranked, each factor with its score, weight and reason.

    With a national-size catalogue the matches come from the background worker: a need
    whose matches are not computed yet answers an empty list, and the worker is asked for
    them (ask again in a minute)."""
    need = get_object_or_404(
        Need.objects.visible_to(actor(request)).select_related("organisation"), pk=need_id
    )
    shown, _, _ = tasks.need_matches_or_wait(need, selectors.STORED)
    return [
        {
            "rank": i,
            "score": s.score,
            "offering_id": s.offering.pk,
            "programme_id": s.offering.programme_id,
            "programme": s.offering.programme.title,
            "school_id": s.offering.programme.school_id,
            "school": s.offering.programme.school.name,
            "delivery": s.offering.delivery,
            "place": s.offering.place
            or (s.offering.municipality.name if s.offering.municipality else ""),
            "start_date": s.offering.start_date,
            "factors": [
                {"code": f.code, "score": round(f.score, 4), "weight": f.weight, "text": f.text}
                for f in s.factors
            ],
        }
        for i, s in enumerate(shown, start=1)
    ]


class AreaRef(Schema):
    code: str
    name: str


class GapOut(Schema):
    area: AreaRef
    needs: int
    people_needed: int
    offerings_in_reach: int
    people_unmet: int


class GapFilter(Schema):
    county: Digits = Field("", description="County number (e.g. 34); empty for the nation")
    municipality: list[Digits] = Field(
        default_factory=list, description="Municipality numbers, for a region of your choice"
    )
    area: Line = Field("", description="Competence area code (taxonomy)")


@router.get("/gaps", response=list[GapOut], auth=PUBLIC)
@paginate
def gaps(request: HttpRequest, filters: Query[GapFilter]):  # type: ignore[no-untyped-def]
    """Demand without supply in reach, by competence area (public aggregates)."""
    region = selectors.region_from(filters.county, filters.municipality)
    return [
        {
            "area": {"code": r.code, "name": r.name},
            "needs": r.needs,
            "people_needed": r.people_needed,
            "offerings_in_reach": r.offerings_in_reach,
            "people_unmet": r.people_unmet,
        }
        for r in selectors.gaps(region, filters.area)
    ]


class OrgRef(Schema):
    id: int
    name: str


class EventOut(Schema):
    from_status: str
    to_status: str
    actor_name: str
    note: str
    created_at: dt.datetime


class OfferOut(Schema):
    programme_id: int | None = Field(None, alias="offer_programme_id")
    offering_id: int | None = Field(None, alias="offer_offering_id")
    seats: int | None = Field(None, alias="offer_seats")
    price_nok: int | None = Field(None, alias="offer_price_nok")
    delivery: str = Field("", alias="offer_delivery")
    start: dt.date | None = Field(None, alias="offer_start")


class RequestOut(Schema):
    id: int
    need_id: int
    organisation: OrgRef
    school: OrgRef
    offering_id: int | None
    kind: str
    people: int
    message: str
    status: str
    offer: OfferOut | None
    answer: str
    created_at: dt.datetime
    history: list[EventOut]

    @staticmethod
    def resolve_organisation(obj: Request) -> Organisation:
        return obj.need.organisation

    @staticmethod
    def resolve_offer(obj: Request) -> Request | None:
        return obj if obj.offer_programme_id else None

    @staticmethod
    def resolve_history(obj: Request) -> list:  # type: ignore[type-arg]
        return list(obj.history.all())


class RequestIn(Schema):
    need_id: ApiId
    school_id: ApiId
    offering_id: ApiId | None = None
    kind: RequestKind = RequestKind.PLACE
    people: int | None = Field(None, ge=1, le=MAX_PEOPLE)
    message: Text = Field("", max_length=4000)


class OfferIn(Schema):
    programme_id: ApiId
    offering_id: ApiId | None = None
    seats: int = Field(..., ge=1, le=MAX_PEOPLE)
    price_nok: int = Field(..., ge=0, le=10_000_000)
    delivery: Line
    start: Day | None = None
    message: Text = Field("", max_length=4000)


class RefuseIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=4000)


class NoteIn(Schema):
    note: Text = Field("", max_length=4000)


class RequestFilter(Schema):
    status: RequestStatus | None = None


def _request(request: HttpRequest, request_id: ApiId) -> Request:
    return get_object_or_404(
        selectors.request_list(actor=actor(request)).prefetch_related("history"), pk=request_id
    )


@router.get("/requests", response=list[RequestOut], auth=SIGNED_IN)
@paginate
def list_requests(request: HttpRequest, filters: Query[RequestFilter]):  # type: ignore[no-untyped-def]
    """Requests your organisation sent, or your school received."""
    qs = selectors.request_records(actor=actor(request)).prefetch_related("history")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


@router.get("/requests/{request_id}", response=RequestOut, auth=SIGNED_IN)
def get_request(request: HttpRequest, request_id: ApiId) -> Request:
    return _request(request, request_id)


@router.post("/requests", response={201: RequestOut}, auth=SIGNED_IN)
def create_request(request: HttpRequest, payload: RequestIn):  # type: ignore[no-untyped-def]
    """Ask a school for places on an offering or a tailored cohort (editors of the need's owner)."""
    user = actor(request)
    need = get_object_or_404(Need.objects.visible_to(user), pk=payload.need_id)
    school = get_object_or_404(
        Organisation.objects.filter(kind__in=services.SCHOOL_KINDS), pk=payload.school_id
    )
    offering = None
    if payload.offering_id is not None:
        offering = get_object_or_404(Offering.objects.all(), pk=payload.offering_id)
    made = services.request_create(
        actor=user,
        need=need,
        school=school,
        offering=offering,
        kind=payload.kind,
        people=payload.people,
        message=payload.message,
    )
    return Status(201, _request(request, made.pk))


@router.post("/requests/{request_id}/offer", response=RequestOut, auth=SIGNED_IN)
def offer(request: HttpRequest, request_id: ApiId, payload: OfferIn) -> Request:
    """The school that was asked answers with an offer."""
    req = _request(request, request_id)
    data = payload.dict()
    data["programme"], data["offering"] = data.pop("programme_id"), data.pop("offering_id")
    data["answer"] = data.pop("message")
    services.request_offer(actor=actor(request), request=req, data=data)
    return _request(request, request_id)


@router.post("/requests/{request_id}/refuse", response=RequestOut, auth=SIGNED_IN)
def refuse(request: HttpRequest, request_id: ApiId, payload: RefuseIn) -> Request:
    req = _request(request, request_id)
    services.request_refuse(actor=actor(request), request=req, reason=payload.reason)
    return _request(request, request_id)


@router.post("/requests/{request_id}/accept", response=RequestOut, auth=SIGNED_IN)
def accept(request: HttpRequest, request_id: ApiId, payload: NoteIn) -> Request:
    req = _request(request, request_id)
    services.request_accept(actor=actor(request), request=req, note=payload.note)
    return _request(request, request_id)


@router.post("/requests/{request_id}/decline", response=RequestOut, auth=SIGNED_IN)
def decline(request: HttpRequest, request_id: ApiId, payload: NoteIn) -> Request:
    req = _request(request, request_id)
    services.request_decline(actor=actor(request), request=req, note=payload.note)
    return _request(request, request_id)


@router.post("/requests/{request_id}/withdraw", response=RequestOut, auth=SIGNED_IN)
def withdraw(request: HttpRequest, request_id: ApiId, payload: NoteIn) -> Request:
    req = _request(request, request_id)
    services.request_withdraw(actor=actor(request), request=req, note=payload.note)
    return _request(request, request_id)
