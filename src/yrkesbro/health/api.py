"""API for collaboration health: public indicators, rounds, my open surveys, answering,
and a partnership's divergence (its parties only).

No endpoint names who answered what: rounds give counts, divergence gives side figures
above the threshold, answering returns nothing but 204.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yrkesbro.collaboration.models import Partnership
from yrkesbro.core.api import PUBLIC, SIGNED_IN, Mapped, actor
from yrkesbro.core.api_types import Digits, Line, Text
from yrkesbro.core.errors import NotFound
from yrkesbro.core.inputs import ApiId
from yrkesbro.health import selectors, services
from yrkesbro.health.models import ItemSet, Round
from yrkesbro.organisations.models import Kind, Organisation

router = Router(tags=["collaboration health"])


class IndicatorRef(Schema):
    code: str
    name: str


class IndicatorOut(Schema):
    indicator: IndicatorRef
    value: float | None = Field(
        description="A share 0–1, a count (structures_*), or an average 1–5 (pulse:*)"
    )
    numerator: float
    denominator: float
    period: str


class IndicatorList(Schema):
    count: int
    items: list[IndicatorOut]


class IndicatorQuery(Schema):
    county: Annotated[
        Digits | None, Field(None, min_length=2, max_length=2, description="County number")
    ]


@router.get("/indicators", response=IndicatorList, auth=PUBLIC)
def indicators(request: HttpRequest, filters: Query[IndicatorQuery]) -> dict:
    """Public collaboration indicators for the nation, or one county (``?county=34``)."""
    county = None
    if filters.county:
        county = Organisation.objects.filter(kind=Kind.COUNTY, number=filters.county).first()
        if county is None:
            raise NotFound("Not found.")
    rows = selectors.api_rows(county)
    items = [
        {
            "indicator": {"code": r.code, "name": r.name},
            "value": r.value,
            "numerator": r.numerator,
            "denominator": r.denominator,
            "period": r.period,
        }
        for r in rows
    ]
    return {"count": len(items), "items": items}


class RoundOut(Schema):
    id: int
    partnership_id: int
    partnership: str
    item_set_version: int
    trigger: str
    opened_at: dt.datetime
    closes_on: dt.date
    closed_at: dt.datetime | None
    answered: int = Field(description="How many people have answered (never who)")


def _round_out(r: Round) -> dict:
    return {
        "id": r.pk,
        "partnership_id": r.partnership_id,
        "partnership": r.partnership.name,
        "item_set_version": r.item_set.version,
        "trigger": r.trigger,
        "opened_at": r.opened_at,
        "closes_on": r.closes_on,
        "closed_at": r.closed_at,
        "answered": getattr(r, "answered", 0),
    }


@router.get("/health/rounds", response=list[RoundOut], auth=SIGNED_IN)
@paginate
def rounds(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Survey rounds of the partnerships your organisations are party to."""
    return Mapped(selectors.rounds_for(actor(request)).order_by("-opened_at", "-id"), _round_out)


class ItemOut(Schema):
    code: str
    kind: str = Field(description="scale (1–5 or null for don't know) or text")
    text: str


class SurveyOut(Schema):
    round: RoundOut
    items: list[ItemOut]


@router.get("/health/my-surveys", response=list[SurveyOut], auth=SIGNED_IN)
def my_surveys(request: HttpRequest) -> list[dict]:
    """Open rounds you are asked in and have not answered yet, with their questions."""
    out = []
    for r in selectors.my_surveys(actor(request)):
        items = selectors.answer_form_items(r)
        out.append(
            {
                "round": _round_out(r) | {"item_set_version": r.item_set.version},
                "items": [{"code": i.code, "kind": i.kind, "text": i.text} for i in items],
            }
        )
    return out


class AnswerIn(Schema):
    # Keys stay plain: the service refuses any code that is not a question of the survey.
    values: dict[str, int | None] = Field(
        description="Every scale item's code: 1–5, or null for don't know"
    )
    free_text: Text = Field("", max_length=2000)


@router.post("/health/rounds/{round_id}/answers", response={204: None}, auth=SIGNED_IN)
def answer(request: HttpRequest, round_id: ApiId, payload: AnswerIn):  # type: ignore[no-untyped-def]
    """Answer a round once. Stored without a link to you; nothing is returned."""
    found = get_object_or_404(Round.objects.visible_to(actor(request)), pk=round_id)
    services.round_answer(
        actor=actor(request), round_=found, values=payload.values, free_text=payload.free_text
    )
    return Status(204, None)


@router.post(
    "/health/partnerships/{partnership_id}/rounds", response={201: RoundOut}, auth=SIGNED_IN
)
def start_round(request: HttpRequest, partnership_id: ApiId):  # type: ignore[no-untyped-def]
    """Start a round now (an administrator of a party)."""
    p = get_object_or_404(Partnership.objects.private_to(actor(request)), pk=partnership_id)
    r = services.round_start(actor=actor(request), partnership=p)
    return Status(201, _round_out(r))


class SideOut(Schema):
    organisation_id: int
    name: str
    respondents: int
    shown: bool = Field(description="At least the threshold of this side answered")


class RowOut(Schema):
    code: str
    text: str
    averages: list[float | None] = Field(description="In the order of sides; null if hidden")
    gap: float | None


class HistoryOut(Schema):
    round_id: int
    opened_at: dt.datetime
    averages: list[float | None]


class DivergenceOut(Schema):
    partnership_id: int
    threshold: int
    round_id: int | None
    sides: list[SideOut]
    items: list[RowOut]
    history: dict[str, list[HistoryOut]]
    free_texts: list[str]


@router.get(
    "/health/partnerships/{partnership_id}/divergence", response=DivergenceOut, auth=SIGNED_IN
)
def divergence(request: HttpRequest, partnership_id: ApiId) -> dict:
    """Side by side averages of the newest closed round, largest gap first (parties only)."""
    p = get_object_or_404(Partnership.objects.private_to(actor(request)), pk=partnership_id)
    div = selectors.divergence(p)
    return {
        "partnership_id": p.pk,
        "threshold": div.threshold,
        "round_id": div.latest.pk if div.latest else None,
        "sides": [s.__dict__ for s in div.sides],
        "items": [r.__dict__ for r in div.rows],
        "history": {
            code: [
                {"round_id": pt.round.pk, "opened_at": pt.round.opened_at, "averages": pt.averages}
                for pt in points
            ]
            for code, points in div.history.items()
        },
        "free_texts": [text for _side, text in div.free_texts],
    }


class ItemSetItemIn(Schema):
    code: Line = Field(max_length=40)
    kind: Line = Field("scale", max_length=10, description="scale or text")
    nb: Line = Field(max_length=300)
    nn: Line = Field(max_length=300)
    en: Line = Field(max_length=300)


class ItemSetIn(Schema):
    note: Line = Field("", max_length=300)
    items: list[ItemSetItemIn] = Field(max_length=40)


class ItemSetItemOut(Schema):
    code: str
    kind: str
    nb: str
    nn: str
    en: str


class ItemSetOut(Schema):
    version: int
    note: str
    is_current: bool
    items: list[ItemSetItemOut]


def _item_set_out(item_set: ItemSet) -> dict:
    return {
        "version": item_set.version,
        "note": item_set.note,
        "is_current": item_set.is_current,
        "items": [
            {"code": i.code, "kind": i.kind, "nb": i.text_nb, "nn": i.text_nn, "en": i.text_en}
            for i in item_set.items.all()
        ],
    }


@router.get("/health/item-sets", response=list[ItemSetOut], auth=PUBLIC)
def item_sets(request: HttpRequest) -> list[dict]:
    """Every version of the questionnaire, newest first (the questions are public)."""
    return [_item_set_out(s) for s in ItemSet.objects.prefetch_related("items")]


@router.post("/health/item-sets", response={201: ItemSetOut}, auth=SIGNED_IN)
def create_item_set(request: HttpRequest, payload: ItemSetIn):  # type: ignore[no-untyped-def]
    """A new version of the questionnaire (platform administrators; all three languages)."""
    item_set = services.item_set_create(
        actor=actor(request),
        items=[item.dict() for item in payload.items],
        note=payload.note,
    )
    return Status(201, _item_set_out(item_set))


@router.post("/health/rounds/{round_id}/close", response=RoundOut, auth=SIGNED_IN)
def close_round(request: HttpRequest, round_id: ApiId) -> dict:
    """Close a round now (an administrator of a party); closing twice changes nothing."""
    found = get_object_or_404(Round.objects.visible_to(actor(request)), pk=round_id)
    services.round_close(actor=actor(request), round_=found)
    return _round_out(get_object_or_404(selectors.rounds_for(actor(request)), pk=round_id))


class PulseSettingsOut(Schema):
    partnership_id: int
    cadence_months: int = Field(description="Ask every N months")
    open_days: int = Field(description="A round stays open N days")


class PulseSettingsIn(Schema):
    cadence_months: int = Field(ge=1, le=36)
    open_days: int = Field(ge=3, le=90)


def _pulse_partnership(request: HttpRequest, partnership_id: int) -> Partnership:
    return get_object_or_404(Partnership.objects.private_to(actor(request)), pk=partnership_id)


@router.get(
    "/health/partnerships/{partnership_id}/settings", response=PulseSettingsOut, auth=SIGNED_IN
)
def pulse_settings(request: HttpRequest, partnership_id: ApiId):  # type: ignore[no-untyped-def]
    """How often the partnership's pulse survey asks, and how long a round stays open."""
    return services.settings_for(_pulse_partnership(request, partnership_id))


@router.put(
    "/health/partnerships/{partnership_id}/settings", response=PulseSettingsOut, auth=SIGNED_IN
)
def update_pulse_settings(request: HttpRequest, partnership_id: ApiId, payload: PulseSettingsIn):  # type: ignore[no-untyped-def]
    return services.pulse_settings_update(
        actor=actor(request),
        partnership=_pulse_partnership(request, partnership_id),
        cadence_months=payload.cadence_months,
        open_days=payload.open_days,
    )
