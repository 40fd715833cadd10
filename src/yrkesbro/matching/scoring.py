"""How well one offering fits one need: seven factors, their weights, and the explanation.

Everything that decides a ranking lives in this module. Each factor scores 0–1
(distance beyond the need's maximum travel scores ``FAR_PENALTY``, far below
zero, so such offerings sink to the bottom without disappearing) and says why
in words a user can check against the need and the offering.

The total is ``sum(WEIGHTS[f] * score_f)``, except that an offering with nothing in
common with the need (area and content both 0) scores 0 and is not ranked at all:
convenience never makes an irrelevant course a match. The weights:

=========  ======  ==========================================================
factor     weight  what it measures
=========  ======  ==========================================================
area       0.35    share of the need's competence areas that the programme
                   covers: through its national plan (taxonomy ↔ national-plan
                   mapping) or as its own areas (a programme may name areas
                   beyond its plan, or have no plan at all)
content    0.15    share of the need's words (stemmed Norwegian) found in the
                   programme's title, description and learning outcomes
delivery   0.10    online / part-time / full-time as the staff can attend
distance   0.15    great-circle km from the need's municipality to the
                   offering's place; online is reachable from everywhere
start      0.10    starts on or before the need's deadline
seats      0.05    seats for the people who need it
funding    0.10    state-funded 1, employer-funded 0.5, tuition by price
=========  ======  ==========================================================

The factors are pure functions of two small records (``NeedInput``,
``OfferingInput``) so the benchmark and the tests can run them without a database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yrkesbro.catalogue import analysis
from yrkesbro.core.display import show_date
from yrkesbro.core.geo import EARTH_RADIUS_KM, haversine_km

WEIGHTS: dict[str, float] = {
    "area": 0.35,
    "content": 0.15,
    "delivery": 0.10,
    "distance": 0.15,
    "start": 0.10,
    "seats": 0.05,
    "funding": 0.10,
}
FACTORS = tuple(WEIGHTS)
FAR_PENALTY = -3.0  # distance score beyond the need's maximum travel
DEFAULT_REACH_KM = 150.0  # reach when the need gives no maximum travel
KM_PER_MINUTE = 1.0  # road travel, roughly 60 km/h, to turn minutes into km
TUITION_FULL_PENALTY_NOK = 100_000  # tuition at which the funding score reaches 0
FULL_TIME_FIT = 0.5  # full-time study when the staff keep working


def terms(text: str) -> dict[str, str]:
    """Stemmed terms of a text → the first word that gave each (for explanations)."""
    out: dict[str, str] = {}
    for word in analysis.tokens(text):
        if word in analysis.STOPWORDS or len(word) < 3 or word.isdigit():
            continue
        out.setdefault(analysis.stem(word), word)
    return out


@dataclass(frozen=True)
class NeedInput:
    id: int
    place: str
    lat: float | None
    lon: float | None
    people: int
    deadline: dt.date
    online_ok: bool = True
    part_time_ok: bool = True
    evenings_ok: bool = False
    max_travel_km: float | None = None
    # national plan id → (plan code, the need's areas that plan covers: a name, or the
    # names [bokmål, nynorsk, English] so stored explanations follow the reader's language)
    plan_areas: dict[int, tuple[str, tuple[Any, ...]]] = field(default_factory=dict)
    area_count: int = 1  # how many competence areas the need names
    # the need's areas by id → names as in ``plan_areas``: matched against a programme's
    # own areas (those it names itself, beyond or without a national plan)
    area_names: dict[int, Any] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)  # stem → word, of unit + description

    @property
    def reach_km(self) -> float:
        return self.max_travel_km if self.max_travel_km else DEFAULT_REACH_KM


@dataclass(frozen=True)
class OfferingInput:
    id: int
    programme_id: int
    school_id: int
    plan_id: int | None
    delivery: str  # campus / online / blended
    pace: str  # part-time / full-time
    place: str
    lat: float | None
    lon: float | None
    start_date: dt.date
    seats: int | None
    status: str
    funding: str
    price_nok: int
    terms: frozenset[str] = frozenset()
    area_ids: frozenset[int] = frozenset()  # the programme's own competence areas


@dataclass
class Factor:
    """One factor's score and the reason, stored as a message key and its parameters."""

    code: str
    score: float
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def weight(self) -> float:
        return WEIGHTS[self.code]

    @property
    def points(self) -> float:
        return self.weight * self.score

    @property
    def text(self) -> str:
        return explain(self.key, self.params)

    @property
    def good(self) -> bool:
        return self.score >= 0.75

    @property
    def bad(self) -> bool:
        return self.score <= 0.25

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "score": round(self.score, 4),
            "key": self.key,
            "params": self.params,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Factor:
        return cls(data["code"], float(data["score"]), data["key"], dict(data.get("params") or {}))


@dataclass
class Match:
    offering_id: int
    score: float
    factors: list[Factor]

    def factor(self, code: str) -> Factor:
        return next(f for f in self.factors if f.code == code)


# The reasons, as translatable templates. Stored results keep key + parameters, so a
# page shows them in the reader's language.
MESSAGES: dict[str, Any] = {
    "area.covers": _("Covers %(areas)s via national plan %(plan)s"),
    "area.other": _("Its national plan covers none of the need's competence areas"),
    "area.none": _("The programme follows no national plan"),
    "area.own": _("Covers %(areas)s, competence areas the programme names itself"),
    "area.covers_own": _(
        "Covers %(areas)s via national plan %(plan)s, and %(own)s as the programme's own areas"
    ),
    "area.own_other": _("The programme's own competence areas cover none of the need's"),
    "area.other_own": _(
        "Neither its national plan nor its own competence areas cover the need's areas"
    ),
    "content.overlap": _(
        "%(found)s of %(total)s words of the need are in the programme: %(words)s"
    ),
    "content.none": _("None of the need's words are in the programme's description or outcomes"),
    "content.empty": _("The need has no text to compare with the programme"),
    "delivery.online_no": _("Online, but online teaching does not work for the staff"),
    "delivery.online": _("Online, which the staff can attend"),
    "delivery.online_evenings": _("Online, which the staff can attend, also in the evenings"),
    "delivery.part_time_no": _("Part-time, but part-time study does not work for the staff"),
    "delivery.full_time": _("Full-time: the staff must be released from work"),
    "delivery.fits": _("%(delivery)s and %(pace)s, as the staff can attend"),
    "distance.online": _("Online: within reach from %(place)s"),
    "distance.unknown": _("The distance from %(place)s is not known"),
    "distance.near": _("%(km)s km from %(place)s to %(to)s"),
    "distance.far": _("%(km)s km from %(place)s to %(to)s, beyond the maximum of %(max)s km"),
    "start.before": _("Starts %(start)s, before your deadline %(deadline)s"),
    "start.after": _("Starts %(start)s, after your deadline %(deadline)s"),
    "seats.full": _("The offering is full"),
    "seats.unknown": _("The number of seats is not given"),
    "seats.enough": _("%(seats)s seats for your %(people)s people"),
    "seats.few": _("Only %(seats)s seats for your %(people)s people"),
    "funding.state": _("State-funded place: no tuition fee"),
    "funding.employer": _("Paid by the employer: NOK %(price)s"),
    "funding.tuition": _("Tuition fee NOK %(price)s"),
}
DELIVERY_WORDS: dict[str, Any] = {
    "campus": _("Campus"),
    "online": _("Online"),
    "blended": _("Blended"),
    "part-time": _("part-time"),
    "full-time": _("full-time"),
}


def area_name(name: Any) -> str:
    """An area's name in the active language, from a name or a [bokmål, nynorsk, English] list."""
    if isinstance(name, str):
        return name
    language = get_language() or "nb"
    index = 2 if language.startswith("en") else 1 if language.startswith("nn") else 0
    return str(name[index] or name[0])


def explain(key: str, params: dict[str, Any]) -> str:
    template = MESSAGES.get(key)
    if template is None:
        return key
    shown = dict(params)
    for name in ("areas", "own"):
        if isinstance(shown.get(name), list):
            shown[name] = ", ".join(area_name(n) for n in shown[name])
    for name in ("delivery", "pace"):
        if name in shown:
            shown[name] = str(DELIVERY_WORDS.get(shown[name], shown[name]))
    for name in ("price", "km", "max"):
        if name in shown and isinstance(shown[name], int | float):
            shown[name] = number_format(shown[name], decimal_pos=0, force_grouping=True)
    for name in ("start", "deadline"):
        # Stored as ISO text (JSON); shown in the reader's date format.
        if isinstance(shown.get(name), str):
            with contextlib.suppress(ValueError):
                shown[name] = show_date(dt.date.fromisoformat(shown[name]))
    return str(template) % shown


def covered_areas(
    need: NeedInput, offering: OfferingInput
) -> tuple[str | None, tuple[Any, ...], list[Any]]:
    """The need's areas the offering covers: its plan's code, the names covered through the
    plan, and the names only its programme's own areas add (plan areas ∪ own areas)."""
    covered = need.plan_areas.get(offering.plan_id) if offering.plan_id is not None else None
    code, via_plan = covered if covered is not None else (None, ())
    own = [
        need.area_names[pk]
        for pk in sorted(offering.area_ids)
        if pk in need.area_names and need.area_names[pk] not in via_plan
    ]
    return code, via_plan, own


def area_factor(need: NeedInput, offering: OfferingInput) -> Factor:
    code, via_plan, own = covered_areas(need, offering)
    found = len(via_plan) + len(own)
    if not found:
        if offering.plan_id is None:
            return Factor("area", 0.0, "area.own_other" if offering.area_ids else "area.none")
        return Factor("area", 0.0, "area.other_own" if offering.area_ids else "area.other")
    share = min(1.0, found / max(1, need.area_count))
    if not own:
        return Factor("area", share, "area.covers", {"areas": list(via_plan), "plan": code})
    if not via_plan:
        return Factor("area", share, "area.own", {"areas": own})
    return Factor(
        "area", share, "area.covers_own", {"areas": list(via_plan), "plan": code, "own": own}
    )


def content_factor(need: NeedInput, offering: OfferingInput) -> Factor:
    if not need.words:
        return Factor("content", 0.0, "content.empty")
    found = [word for stem, word in need.words.items() if stem in offering.terms]
    if not found:
        return Factor("content", 0.0, "content.none")
    total = len(need.words)
    return Factor(
        "content",
        len(found) / total,
        "content.overlap",
        {"found": len(found), "total": total, "words": ", ".join(found[:6])},
    )


def delivery_factor(need: NeedInput, offering: OfferingInput) -> Factor:
    if offering.delivery == "online":
        if not need.online_ok:
            return Factor("delivery", 0.0, "delivery.online_no")
        key = "delivery.online_evenings" if need.evenings_ok else "delivery.online"
        return Factor("delivery", 1.0, key)
    if offering.pace == "part-time" and not need.part_time_ok:
        return Factor("delivery", 0.5, "delivery.part_time_no")
    if offering.pace == "full-time" and need.part_time_ok:
        return Factor("delivery", FULL_TIME_FIT, "delivery.full_time")
    return Factor(
        "delivery", 1.0, "delivery.fits", {"delivery": offering.delivery, "pace": offering.pace}
    )


def distance_km(need: NeedInput, offering: OfferingInput) -> float | None:
    if None in (need.lat, need.lon, offering.lat, offering.lon):
        return None
    return haversine_km(need.lat, need.lon, offering.lat, offering.lon)  # type: ignore[arg-type]


def distance_factor(need: NeedInput, offering: OfferingInput) -> Factor:
    if offering.delivery == "online":
        return Factor("distance", 1.0, "distance.online", {"place": need.place})
    km = distance_km(need, offering)
    if km is None:
        return Factor("distance", 0.5, "distance.unknown", {"place": need.place})
    params = {"km": round(km), "place": need.place, "to": offering.place}
    limit = need.reach_km
    if km > limit:
        return Factor("distance", FAR_PENALTY, "distance.far", {**params, "max": round(limit)})
    return Factor("distance", 1.0 - 0.5 * km / limit, "distance.near", params)


def start_factor(need: NeedInput, offering: OfferingInput) -> Factor:
    params = {"start": offering.start_date.isoformat(), "deadline": need.deadline.isoformat()}
    if offering.start_date <= need.deadline:
        return Factor("start", 1.0, "start.before", params)
    return Factor("start", 0.0, "start.after", params)


def seats_factor(need: NeedInput, offering: OfferingInput) -> Factor:
    if offering.status == "full":
        return Factor("seats", 0.0, "seats.full")
    if offering.seats is None:
        return Factor("seats", 0.5, "seats.unknown")
    params = {"seats": offering.seats, "people": need.people}
    if offering.seats >= need.people:
        return Factor("seats", 1.0, "seats.enough", params)
    return Factor("seats", offering.seats / need.people, "seats.few", params)


def funding_score(offering: OfferingInput) -> float:
    """The funding factor depends on the offering alone."""
    if offering.funding == "state-funded":
        return 1.0
    if offering.funding == "employer-funded":
        return 0.5
    return max(0.0, 1.0 - offering.price_nok / TUITION_FULL_PENALTY_NOK)


def funding_factor(need: NeedInput, offering: OfferingInput) -> Factor:
    score = funding_score(offering)
    if offering.funding == "state-funded":
        return Factor("funding", score, "funding.state")
    key = "funding.employer" if offering.funding == "employer-funded" else "funding.tuition"
    return Factor("funding", score, key, {"price": offering.price_nok})


# An offering is relevant to a need only through what it teaches: a competence area its
# plan or the programme itself covers, or words of the need in the programme. Without either it scores 0 and is
# not ranked, however convenient it is (a sterile-supply course for a kindergarten).
RELEVANCE_FACTORS = frozenset({"area", "content"})

FACTOR_FUNCTIONS = (
    area_factor,
    content_factor,
    delivery_factor,
    distance_factor,
    start_factor,
    seats_factor,
    funding_factor,
)


def score(need: NeedInput, offering: OfferingInput) -> Match:
    factors = [fn(need, offering) for fn in FACTOR_FUNCTIONS]
    total = sum(WEIGHTS[f.code] * f.score for f in factors)
    relevance = sum(f.score for f in factors if f.code in RELEVANCE_FACTORS)
    if relevance <= 0:
        # Nothing in common with the need: convenience (online, free, early) adds nothing.
        total = 0.0
    return Match(offering.id, round(total, 6), factors)


def area_share(need: NeedInput, o: OfferingInput) -> float:
    """The area factor's score alone (what ``area_factor`` explains)."""
    if o.area_ids:
        _code, via_plan, own = covered_areas(need, o)
        found = len(via_plan) + len(own)
    else:
        covered = need.plan_areas.get(o.plan_id) if o.plan_id is not None else None
        found = len(covered[1]) if covered is not None else 0
    return min(1.0, found / max(1, need.area_count))


def delivery_score(need: NeedInput, o: OfferingInput) -> float:
    """The delivery factor's score alone (what ``delivery_factor`` explains)."""
    if o.delivery == "online":
        return 1.0 if need.online_ok else 0.0
    if o.pace == "part-time" and not need.part_time_ok:
        return 0.5
    if o.pace == "full-time" and need.part_time_ok:
        return FULL_TIME_FIT
    return 1.0


def total(need: NeedInput, offering: OfferingInput) -> float:
    """The same total as ``score`` without building the explanations: used to rank many
    offerings fast (the tests check both agree on random inputs)."""
    o = offering
    area = area_share(need, o)
    content = 0.0
    if need.words:
        content = sum(1 for stem in need.words if stem in o.terms) / len(need.words)
    delivery = delivery_score(need, o)
    if o.delivery == "online":
        distance = 1.0
    else:
        km = distance_km(need, o)
        if km is None:
            distance = 0.5
        elif km > need.reach_km:
            distance = FAR_PENALTY
        else:
            distance = 1.0 - 0.5 * km / need.reach_km
    if area <= 0 and content <= 0:
        return 0.0  # irrelevant: see RELEVANCE_FACTORS
    start = 1.0 if o.start_date <= need.deadline else 0.0
    if o.status == "full":
        seats = 0.0
    elif o.seats is None:
        seats = 0.5
    else:
        seats = 1.0 if o.seats >= need.people else o.seats / need.people
    if o.funding == "state-funded":
        funding = 1.0
    elif o.funding == "employer-funded":
        funding = 0.5
    else:
        funding = max(0.0, 1.0 - o.price_nok / TUITION_FULL_PENALTY_NOK)
    w = WEIGHTS
    return round(
        w["area"] * area
        + w["content"] * content
        + w["delivery"] * delivery
        + w["distance"] * distance
        + w["start"] * start
        + w["seats"] * seats
        + w["funding"] * funding,
        6,
    )


# The most the factors other than area and content can add: what bounds a candidate's
# total before it is scored (see ``Candidates``).
CONVENIENCE_MAX = sum(w for code, w in WEIGHTS.items() if code not in RELEVANCE_FACTORS)


class Candidates(Sequence[OfferingInput]):
    """The candidate offerings, indexed by what can make one relevant to a need: its
    national plan, its programme's own areas and its programme's words.

    Matching a need against a national catalogue (33,000 offerings at factor 10) then
    reads only the offerings that share a plan, an area or a word with the need, and of
    those computes the distance only for the ones that could still reach the need's best
    ``limit``: every factor but the distance is cheap, so each candidate's total is bounded
    by its exact other factors and the distance score of its north-south distance alone
    (a lower bound of the great-circle distance), and once the ``limit``-th
    best total is above every remaining candidate's bound the ranking is final. The result
    is the same as scoring every offering (the tests compare both on random catalogues)."""

    def __init__(self, offerings: Iterable[OfferingInput]) -> None:
        self.offerings = list(offerings)
        self.by_plan: dict[int, list[int]] = {}
        self.by_area: dict[int, list[int]] = {}
        self.by_term: dict[str, list[int]] = {}
        # the weighted factors that depend on the offering alone: funding, and seats as
        # if the need's people all fit (seats_factor is at most this)
        self.fixed: list[float] = []
        for i, o in enumerate(self.offerings):
            if o.plan_id is not None:
                self.by_plan.setdefault(o.plan_id, []).append(i)
            for pk in o.area_ids:
                self.by_area.setdefault(pk, []).append(i)
            for term in o.terms:
                self.by_term.setdefault(term, []).append(i)
            seats = 0.0 if o.status == "full" else 0.5 if o.seats is None else 1.0
            self.fixed.append(WEIGHTS["seats"] * seats + WEIGHTS["funding"] * funding_score(o))

    def __len__(self) -> int:
        return len(self.offerings)

    @overload
    def __getitem__(self, index: int) -> OfferingInput: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[OfferingInput]: ...
    def __getitem__(self, index: int | slice) -> OfferingInput | Sequence[OfferingInput]:
        return self.offerings[index]

    def relevant(self, need: NeedInput) -> tuple[set[int], set[int], dict[int, int]]:
        """Positions of the offerings relevant to the need, as two sets: those sharing one
        of its areas (through their plan or their own), and those sharing only words; and
        how many of the need's words each one holds."""
        content: dict[int, int] = {}
        for stem in need.words:
            for i in self.by_term.get(stem, ()):
                content[i] = content.get(i, 0) + 1
        areas: set[int] = set()
        for plan_id, (_plan_code, names) in need.plan_areas.items():
            if names:
                areas.update(self.by_plan.get(plan_id, ()))
        for pk in need.area_names:
            areas.update(self.by_area.get(pk, ()))
        return areas, content.keys() - areas, content

    def bounds(
        self, need: NeedInput, relevant: Iterable[int], content: dict[int, int]
    ) -> dict[int, float]:
        """Position of each of these offerings → the most its total can be: ``total``
        with the distance's north-south part for the distance (no trigonometry)."""
        words = len(need.words)
        w_area, w_content, w_delivery = WEIGHTS["area"], WEIGHTS["content"], WEIGHTS["delivery"]
        w_start, w_distance, reach = WEIGHTS["start"], WEIGHTS["distance"], need.reach_km
        out: dict[int, float] = {}
        for i in relevant:
            o = self.offerings[i]
            if o.delivery == "online":
                distance = 1.0
            elif o.lat is None or need.lat is None or need.lon is None or o.lon is None:
                distance = 0.5
            else:
                # a great circle is at least as long as its north-south part
                near = LAT_KM * abs(o.lat - need.lat) * (1 - BOUND_SLACK)
                distance = FAR_PENALTY if near > reach else 1.0 - 0.5 * near / reach
            out[i] = (
                w_area * area_share(need, o)
                + (w_content * content.get(i, 0) / words if words else 0.0)
                + w_delivery * delivery_score(need, o)
                + w_distance * distance
                + (w_start if o.start_date <= need.deadline else 0.0)
                + self.fixed[i]
            )
        return out

    def best(self, need: NeedInput, limit: int) -> list[tuple[float, OfferingInput]]:
        """The ``limit`` best (total, offering), best first, ties by offering id.

        The offerings sharing an area come first; those sharing only words (in a national
        catalogue most of the relevant ones: "omsorg" and "helse" are everywhere) can add
        no area points, so they are bounded as a group and skipped when even the best of
        them could not place."""
        areas, words_only, content = self.relevant(need)
        heap: list[tuple[float, int, int]] = []  # (total, -offering id, position): worst first
        self._fill(need, heap, limit, self.bounds(need, areas, content))
        if words_only and len(heap) >= limit:
            most = max(content[i] for i in words_only) / len(need.words)
            cap = WEIGHTS["content"] * most + CONVENIENCE_MAX
            if cap + BOUND_SLACK < heap[0][0]:
                words_only = set()
        self._fill(need, heap, limit, self.bounds(need, words_only, content))
        return [(t, self.offerings[i]) for t, _, i in sorted(heap, reverse=True)]

    def _fill(
        self,
        need: NeedInput,
        heap: list[tuple[float, int, int]],
        limit: int,
        bounds: dict[int, float],
    ) -> None:
        """Score the offerings best bound first into ``heap`` (the best ``limit``) until
        no bound left can reach its last place."""
        for i, bound in sorted(bounds.items(), key=lambda item: -item[1]):
            if len(heap) >= limit and bound + BOUND_SLACK < heap[0][0]:
                break
            o = self.offerings[i]
            item = (total(need, o), -o.id, i)
            if len(heap) < limit:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)


# ``total`` rounds to six decimals: a bound is compared with that much room.
BOUND_SLACK = 1e-6
LAT_KM = math.radians(1) * EARTH_RADIUS_KM  # km per degree of latitude


def rank(
    need: NeedInput, offerings: Sequence[OfferingInput], limit: int | None = None
) -> list[Match]:
    """Best first; ties broken by offering id so the order is stable. Ranks by ``total``
    and explains only the offerings returned. Irrelevant offerings (nothing in common with
    the need, see ``RELEVANCE_FACTORS``) are left out. ``Candidates`` reads only the
    offerings that can place."""
    if isinstance(offerings, Candidates):
        if limit is None:
            areas, words_only, _content = offerings.relevant(need)
            relevant = [offerings[i] for i in sorted(areas | words_only)]
        else:
            return [score(need, o) for _, o in offerings.best(need, limit)]
    else:
        relevant = [o for o in offerings if is_relevant(need, o)]
    if limit is None:
        matches = [score(need, o) for o in relevant]
        matches.sort(key=lambda m: (-m.score, m.offering_id))
        return matches
    ranked = sorted(((total(need, o), o.id, o) for o in relevant), key=lambda t: (-t[0], t[1]))
    return [score(need, o) for _, _, o in ranked[:limit]]


def is_relevant(need: NeedInput, offering: OfferingInput) -> bool:
    """Whether the offering shares a competence area (its plan's or its own) or words with
    the need."""
    covered = need.plan_areas.get(offering.plan_id) if offering.plan_id is not None else None
    if covered is not None and covered[1]:
        return True
    if any(pk in need.area_names for pk in offering.area_ids):
        return True
    return any(stem in offering.terms for stem in need.words)
