"""Reads for matching: scoring inputs from the database, a need's matches (precomputed or
live), a school's demand and leads, and the gap analysis."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from yrkesbro.catalogue.models import Delivery, Offering, OfferingStatus, Programme
from yrkesbro.core.policies import Actor, Capability, is_platform_admin, organisation_ids_with
from yrkesbro.matching import demand, scoring
from yrkesbro.matching.models import MatchResult, NeedMatching, Request
from yrkesbro.needs.models import Need, Status
from yrkesbro.needs.selectors import published_needs
from yrkesbro.organisations import distances
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea

SHOWN = 10  # matches shown per need on a page
STORED = 25  # matches kept per need in MatchResult
CANDIDATE_STATUSES = (OfferingStatus.PLANNED, OfferingStatus.OPEN, OfferingStatus.FULL)
REACH_STATUSES = (OfferingStatus.PLANNED, OfferingStatus.OPEN)  # full ones meet no demand
MATCHED_NEED_STATUSES = (Status.DRAFT, Status.PUBLISHED, Status.BEING_MET)
SCHOOL_KINDS = (Kind.FAGSKOLE, Kind.UPPER_SECONDARY_SCHOOL)

# Analysed programme texts, by programme id: (updated_at, terms). Bounded, least recently
# used first out, so a long-running worker does not grow with every programme it has seen;
# the bound holds the catalogue of factor 10 (20,000 programmes).
MAX_CACHED_PROGRAMMES = 25_000
_programme_terms: OrderedDict[int, tuple[dt.datetime, frozenset[str]]] = OrderedDict()


def _today() -> dt.date:
    return timezone.localdate()


def programme_terms(ids: set[int]) -> dict[int, frozenset[str]]:
    """Stemmed terms of each programme's title, description and outcomes (cached by version)."""
    stamps = dict(Programme.objects.filter(pk__in=ids).values_list("pk", "updated_at"))
    missing = [pk for pk, at in stamps.items() if _programme_terms.get(pk, (None,))[0] != at]
    for start in range(0, len(missing), 500):
        rows = Programme.objects.filter(pk__in=missing[start : start + 500]).values_list(
            "pk",
            "updated_at",
            "title",
            "description",
            "outcomes_knowledge",
            "outcomes_skills",
            "outcomes_general_competence",
        )
        for pk, at, *texts in rows:
            _programme_terms[pk] = (at, frozenset(scoring.terms(" ".join(texts))))
    out = {}
    for pk in stamps:
        entry = _programme_terms.get(pk)
        if entry is None:  # evicted meanwhile by another thread
            continue
        _programme_terms.move_to_end(pk)
        out[pk] = entry[1]
    while len(_programme_terms) > MAX_CACHED_PROGRAMMES:
        _programme_terms.popitem(last=False)
    return out


def own_area_ids(programme_ids: set[int]) -> dict[int, frozenset[int]]:
    """The competence areas each programme names itself (beyond or without a national plan)."""
    found: dict[int, set[int]] = defaultdict(set)
    through = Programme.competence_areas.through.objects
    ids = list(programme_ids)
    for start in range(0, len(ids), 5000):
        for programme_id, area_id in through.filter(
            programme_id__in=ids[start : start + 5000]
        ).values_list("programme_id", "competencearea_id"):
            found[programme_id].add(area_id)
    return {pk: frozenset(areas) for pk, areas in found.items()}


def programme_area_ids(programmes: Any) -> set[int]:
    """Competence areas the programmes (a queryset of ids) cover: those their national plans
    are mapped to, united with their own."""
    plans = Programme.objects.filter(pk__in=programmes, national_plan__isnull=False).values(
        "national_plan_id"
    )
    via_plan = CompetenceArea.national_plans.through.objects.filter(nationalplan_id__in=plans)
    own = Programme.competence_areas.through.objects.filter(programme_id__in=programmes)
    return set(via_plan.values_list("competencearea_id", flat=True)) | set(
        own.values_list("competencearea_id", flat=True)
    )


def own_area_offerings(
    statuses: Any, today: dt.date, areas: Any = None
) -> list[tuple[int, int, str, int | None]]:
    """(offering, key, delivery, municipality) of the offerings whose programme names a competence
    area itself, one row per such area, for the gap counts. The key is the negative area id:
    it stands beside the national plan ids, so "offerings by plan" grows into "offerings by
    plan or own area" and the counts see plan areas ∪ own areas (``own_area_key``)."""
    # One filter() call, so the area join is the one the values below read.
    wanted = (
        {"programme__competence_areas__in": areas}
        if areas is not None
        else {"programme__competence_areas__isnull": False}
    )
    qs = Offering.objects.filter(status__in=statuses, start_date__gte=today, **wanted)
    return [
        (pk, own_area_key(area), delivery, place)
        for pk, area, delivery, place in qs.values_list(
            "pk", "programme__competence_areas", "delivery", "municipality_id"
        )
    ]


def own_area_key(area_id: int) -> int:
    """The key of an area's own-area offerings among national plan ids (see above)."""
    return -area_id


def candidate_offerings(today: dt.date | None = None) -> scoring.Candidates:
    """Offerings a need can still be matched to: not started, not ended (full ones rank low),
    indexed for ranking many needs against them (``scoring.Candidates``)."""
    rows = list(
        Offering.objects.filter(
            status__in=CANDIDATE_STATUSES, start_date__gte=today or _today()
        ).values_list(
            "pk",
            "programme_id",
            "programme__school_id",
            "programme__national_plan_id",
            "delivery",
            "pace",
            "place",
            "municipality__name",
            "municipality__latitude",
            "municipality__longitude",
            "start_date",
            "seats",
            "status",
            "funding",
            "price_nok",
        )
    )
    terms = programme_terms({row[1] for row in rows})
    own = own_area_ids({row[1] for row in rows})
    return scoring.Candidates(
        scoring.OfferingInput(
            id=pk,
            programme_id=prog,
            school_id=school,
            plan_id=plan,
            delivery=delivery,
            pace=pace,
            place=place or muni_name or "",
            lat=lat,
            lon=lon,
            start_date=start,
            seats=seats,
            status=status,
            funding=funding,
            price_nok=price,
            terms=terms.get(prog, frozenset()),
            area_ids=own.get(prog, frozenset()),
        )
        for (
            pk,
            prog,
            school,
            plan,
            delivery,
            pace,
            place,
            muni_name,
            lat,
            lon,
            start,
            seats,
            status,
            funding,
            price,
        ) in rows
    )


def location(org: Organisation) -> tuple[str, float | None, float | None]:
    """An organisation's place name and point: its own, else its municipality's."""
    if org.latitude is not None and org.longitude is not None:
        name = (
            org.name
            if org.kind == Kind.MUNICIPALITY or org.municipality is None
            else org.municipality.name
        )
        return name, org.latitude, org.longitude
    if org.municipality is not None:
        m = org.municipality
        return m.name, m.latitude, m.longitude
    return org.name, None, None


def max_travel_km(need: Need) -> float | None:
    if need.max_travel_km:
        return float(need.max_travel_km)
    if need.max_travel_minutes:
        return need.max_travel_minutes * scoring.KM_PER_MINUTE
    return None


def need_input(need: Need) -> scoring.NeedInput:
    place, lat, lon = location(need.organisation)
    plan_areas: dict[int, tuple[str, list[tuple[str, str, str]]]] = {}
    area_names: dict[int, tuple[str, str, str]] = {}
    areas = list(need.areas.prefetch_related("national_plans"))
    for area in areas:
        names = (area.name_nb, area.name_nn or area.name_nb, area.name_en)
        area_names[area.pk] = names
        for plan in area.national_plans.all():
            plan_areas.setdefault(plan.pk, (plan.code, []))[1].append(names)
    return scoring.NeedInput(
        id=need.pk,
        place=place,
        lat=lat,
        lon=lon,
        people=need.people,
        deadline=need.deadline,
        online_ok=need.online_ok,
        part_time_ok=need.part_time_ok,
        evenings_ok=need.evenings_ok,
        max_travel_km=max_travel_km(need),
        plan_areas={pk: (code, tuple(names)) for pk, (code, names) in plan_areas.items()},
        area_count=len(areas),
        area_names=area_names,
        words=scoring.terms(f"{need.unit} {need.description}"),
    )


def compute_matches(
    need: Need, limit: int | None = SHOWN, offerings: Sequence[scoring.OfferingInput] | None = None
) -> list[scoring.Match]:
    if offerings is None:
        offerings = candidate_offerings()
    return scoring.rank(need_input(need), offerings, limit)


def stored_matches(need: Need) -> list[scoring.Match] | None:
    """The precomputed matches if they are newer than the need, else None.

    Rows a catalogue change has marked stale are still returned: the worker is recomputing
    them, and a page must not score thousands of offerings while it waits."""
    rows = list(MatchResult.objects.filter(need=need).order_by("rank"))
    if not rows:
        # computed since the need last changed, and nothing fits: that is an answer too
        done = NeedMatching.objects.filter(need=need, computed_at__gte=need.updated_at)
        return [] if done.exists() else None
    oldest = min(r.computed_at for r in rows)
    if oldest < need.updated_at:
        return None
    return [
        scoring.Match(r.offering_id, r.score, [scoring.Factor.from_dict(f) for f in r.factors])
        for r in rows
    ]


@dataclass
class Shown:
    """A match with its offering loaded, for pages and the API."""

    match: scoring.Match
    offering: Offering

    @property
    def score(self) -> float:
        return self.match.score

    @property
    def factors(self) -> list[scoring.Factor]:
        return self.match.factors


def need_matches(need: Need, limit: int = SHOWN, *, live: bool = True) -> tuple[list[Shown], bool]:
    """The best offerings for a need and whether they came precomputed.

    With ``live`` False a need without stored matches gets none (the page says the worker
    is on it) instead of scoring the whole catalogue on the request."""
    matches = stored_matches(need)
    precomputed = matches is not None
    if matches is None:
        if not live:
            return [], False
        matches = compute_matches(need, limit)
    matches = matches[:limit]
    offerings = Offering.objects.select_related(
        "programme", "programme__school", "programme__national_plan", "municipality"
    ).in_bulk([m.offering_id for m in matches])
    return [
        Shown(m, offerings[m.offering_id]) for m in matches if m.offering_id in offerings
    ], precomputed


LIVE_PER_PAGE = 3  # needs without stored matches computed on a page; the rest wait
# Above this many candidate offerings a list page scores nothing live: one need's scoring
# reads and ranks the whole candidate catalogue (about 100 ms at 4,000 offerings), so at
# national scale every need waits for the worker, which is already on it (a need's save and
# a catalogue change enqueue the refresh).
LIVE_MAX_OFFERINGS = 500


def live_budget() -> int:
    """How many needs a list page may score live: ``LIVE_PER_PAGE`` while the catalogue is
    small, none at national scale (one bounded COUNT decides)."""
    candidates = Offering.objects.filter(
        status__in=CANDIDATE_STATUSES, start_date__gte=_today()
    ).values("pk")[: LIVE_MAX_OFFERINGS + 1]
    return LIVE_PER_PAGE if candidates.count() <= LIVE_MAX_OFFERINGS else 0


def matches_for(needs: list[Need], limit: int = 3) -> list[tuple[Need, list[Shown] | None]]:
    """The best stored offerings of each need in two queries, for list pages.

    A need whose matches are not stored yet (or older than the need) is computed on the
    spot for the first ``live_budget()`` of them (none at national scale); the others get
    None (the worker is on it), so a page never scores the catalogue for every need it
    lists, and at scale for none."""
    rows: dict[int, list[MatchResult]] = defaultdict(list)
    for r in MatchResult.objects.filter(need__in=needs, rank__lte=limit).order_by("need", "rank"):
        rows[r.need_id].append(r)
    matches: dict[int, list[scoring.Match] | None] = {}
    waiting = []
    for need in needs:
        mine = rows.get(need.pk)
        if mine and min(r.computed_at for r in mine) >= need.updated_at:
            matches[need.pk] = [
                scoring.Match(
                    r.offering_id, r.score, [scoring.Factor.from_dict(f) for f in r.factors]
                )
                for r in mine
            ]
        else:
            matches[need.pk] = None
            waiting.append(need)
    budget = live_budget() if waiting else 0
    if budget:
        candidates = candidate_offerings()  # read once for the page, not once per need
        for need in waiting[:budget]:
            matches[need.pk] = compute_matches(need, limit, candidates)
    ids = [m.offering_id for found in matches.values() if found for m in found]
    offerings = Offering.objects.select_related(
        "programme", "programme__school", "programme__national_plan", "municipality"
    ).in_bulk(ids)
    out: list[tuple[Need, list[Shown] | None]] = []
    for need in needs:
        found = matches[need.pk]
        out.append(
            (
                need,
                None
                if found is None
                else [
                    Shown(m, offerings[m.offering_id]) for m in found if m.offering_id in offerings
                ],
            )
        )
    return out


def request_list(*, actor: Actor) -> QuerySet[Request]:
    return Request.objects.visible_to(actor).select_related(
        "need", "need__organisation", "school", "offering", "offering__programme"
    )


def _requests_with_names(actor: Actor, *columns: str) -> QuerySet[Request]:
    """The requests the actor sees with ``columns`` and the two organisations' names, not
    the texts of the need, the offering and its programme."""
    return (
        Request.objects.visible_to(actor)
        .select_related("need__organisation", "school")
        .only(*columns, "need__organisation__name", "school__name")
    )


def request_rows(*, actor: Actor) -> QuerySet[Request]:
    """What a list of requests shows: the need's unit, the names, people, status, dates."""
    return _requests_with_names(
        actor, "pk", "people", "status", "created_at", "updated_at", "need__unit"
    )


def request_records(*, actor: Actor) -> QuerySet[Request]:
    """The requests' own columns and the names (what the API lists)."""
    return _requests_with_names(actor, *(f.name for f in Request._meta.concrete_fields))


def school_orgs(
    actor: Actor, capability: Capability = Capability.VIEW_INTERNAL
) -> QuerySet[Organisation]:
    """Schools where the actor holds the capability (every school for platform admins)."""
    schools = Organisation.objects.filter(kind__in=SCHOOL_KINDS).order_by("name")
    if is_platform_admin(actor):
        return schools
    return schools.filter(pk__in=organisation_ids_with(actor, capability))


def need_orgs(
    actor: Actor, capability: Capability = Capability.VIEW_INTERNAL
) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(pk__in=organisation_ids_with(actor, capability))
        .exclude(kind__in=SCHOOL_KINDS)
        .order_by("name")
    )


def need_org_ids(actor: Actor, capability: Capability = Capability.VIEW_INTERNAL) -> list[int]:
    """The ids of ``need_orgs``, read first: a list of ids lets the database walk the needs
    by organisation, where the sub-query let SQLite read every shared need in the country
    (the ``visible_to`` OR) and keep the actor's."""
    return list(need_orgs(actor, capability).values_list("pk", flat=True))


# --- a school's demand and leads -----------------------------------------------------


def school_area_codes(school: Organisation) -> set[str]:
    """Competence areas covered by the school's programmes (their plans' and their own)."""
    areas = programme_area_ids(Programme.objects.filter(school=school).values("pk"))
    return set(CompetenceArea.objects.filter(pk__in=areas).values_list("code", flat=True))


def online_area_ids(school: Organisation) -> set[int]:
    """Competence areas the school's online offerings serve (still to start, open or few
    seats left). Online teaching is within reach from every municipality, so a published
    need in one of these areas is in the school's reach wherever it is, when its staff can
    attend online teaching (no travel cap)."""
    programmes = Offering.objects.filter(
        programme__school=school,
        delivery=Delivery.ONLINE,
        status__in=REACH_STATUSES,
        start_date__gte=_today(),
    ).values("programme_id")
    return programme_area_ids(programmes)


def partner_ids(school: Organisation) -> set[int]:
    """Organisations in an active partnership with the school (none if collaboration is absent)."""
    try:
        from yrkesbro.collaboration.models import PartnershipParty
    except ImportError:  # pragma: no cover - the app is optional
        return set()
    return set(
        PartnershipParty.objects.accepted()
        .filter(
            partnership__parties__organisation=school,
            partnership__parties__status="accepted",
            partnership__is_active=True,
        )
        .exclude(organisation=school)
        .values_list("organisation_id", flat=True)
    )


def school_demand(school: Organisation, *, refresh: bool = False) -> demand.Demand:
    """Published needs within reach of the school, by area, and its leads (``demand``: counted
    and paginated in SQL); what its online offerings serve is in reach anywhere
    (``online_area_ids``). ``refresh``: the worker's call, see ``demand.school_demand``."""
    return demand.school_demand(
        school,
        school_area_codes(school),
        partner_ids(school),
        online_area_ids(school),
        refresh=refresh,
    )


# --- gaps ---------------------------------------------------------------------------


@dataclass
class GapRow:
    code: str
    name: str
    needs: int = 0
    people_needed: int = 0
    offerings_in_reach: int = 0
    people_unmet: int = 0


@dataclass
class Region:
    """Where to count: a county, a list of municipalities, or (neither) the nation."""

    county: Organisation | None = None
    municipalities: list[Organisation] = field(default_factory=list)

    @property
    def is_nation(self) -> bool:
        return self.county is None and not self.municipalities

    def filter(self, needs: QuerySet[Need]) -> QuerySet[Need]:
        if self.county is not None:
            return needs.filter(Q(organisation__county=self.county) | Q(organisation=self.county))
        if self.municipalities:
            ids = [m.pk for m in self.municipalities]
            return needs.filter(Q(organisation__in=ids) | Q(organisation__municipality__in=ids))
        return needs


def gaps(region: Region, area: str = "", today: dt.date | None = None) -> list[GapRow]:
    """Per competence area: people in published needs, distinct offerings in reach of at
    least one of those needs, and people in needs with no offering of the area in reach.

    An offering covers an area when its programme's national plan is mapped to it or the
    programme names the area as its own; it is in
    reach of a need when online, or within the need's maximum travel (else
    ``DEFAULT_REACH_KM``) of the need's place. Only offerings not yet started and not full
    count. A need with two areas counts in both rows. A handful of queries at any scale.

    The nation and each county are read from the tables the worker keeps
    (``gap_tables``) when they count today's offerings; other regions, and any region
    before the first refresh of the day, are computed here.
    """
    if today is None and not region.municipalities:
        from yrkesbro.matching import gap_tables

        if gap_tables.last_refresh() is not None:
            stored = [GapRow(*row) for row in gap_tables.summary_rows(region.county, area)]
            stored.sort(key=lambda r: (-r.people_unmet, -r.people_needed, r.code))
            return stored
    return compute_gaps(region, area, today)


def compute_gaps(region: Region, area: str = "", today: dt.date | None = None) -> list[GapRow]:
    """``gaps`` computed from the needs and offerings now (the definition the tables follow)."""
    needs_qs = region.filter(published_needs())
    need_rows = {
        pk: (
            people,
            distances.place_of(kind, org, muni),
            float(km)
            if km
            else (mins * scoring.KM_PER_MINUTE if mins else scoring.DEFAULT_REACH_KM),
        )
        for pk, people, org, kind, muni, km, mins in needs_qs.values_list(
            "pk",
            "people",
            "organisation_id",
            "organisation__kind",
            "organisation__municipality_id",
            "max_travel_km",
            "max_travel_minutes",
        )
    }
    area_qs = CompetenceArea.objects.all()
    if area:
        area_qs = area_qs.filter(code=area)
    area_info = {pk: (code, name) for pk, code, name in _area_names(area_qs)}
    needs_by_area: dict[int, list[int]] = defaultdict(list)
    for need_id, area_id in Need.areas.through.objects.filter(
        need__in=needs_qs.values("pk"), competencearea_id__in=list(area_info)
    ).values_list("need_id", "competencearea_id"):
        needs_by_area[area_id].append(need_id)
    plans_by_area: dict[int, set[int]] = defaultdict(set)
    for area_id, plan_id in CompetenceArea.national_plans.through.objects.filter(
        competencearea_id__in=list(needs_by_area)
    ).values_list("competencearea_id", "nationalplan_id"):
        plans_by_area[area_id].add(plan_id)
    # Offerings by plan: the online ones, and the located ones grouped by their place; reach
    # between places from the distances computed once per register.
    matrix = distances.matrix()
    online: dict[int, list[int]] = defaultdict(list)
    located: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    wanted_plans = set().union(*plans_by_area.values()) if plans_by_area else set()
    # A programme's own areas count as its plan's do (plan areas and own areas).
    for area_id in needs_by_area:
        plans_by_area[area_id].add(own_area_key(area_id))
    for pk, plan_id, delivery, place in [
        *Offering.objects.filter(
            status__in=REACH_STATUSES,
            start_date__gte=today or _today(),
            programme__national_plan_id__in=wanted_plans,
        ).values_list("pk", "programme__national_plan_id", "delivery", "municipality_id"),
        *own_area_offerings(REACH_STATUSES, today or _today(), list(needs_by_area)),
    ]:
        if delivery == "online":
            online[plan_id].append(pk)
        elif place in matrix:
            located[plan_id][place].append(pk)
    # Which offering places each (need place, reach) can get to: once, shared by areas.
    points = {p for by_point in located.values() for p in by_point}
    reach_cache: dict[tuple[int | None, float], frozenset[int]] = {}

    def reachable(place: int | None, km: float) -> frozenset[int]:
        key = (place, km)
        if key not in reach_cache:
            row = matrix.get(place) if place is not None else None
            reach_cache[key] = (
                frozenset() if row is None else frozenset(p for p in points if row[p] <= km)
            )
        return reach_cache[key]

    rows: list[GapRow] = []
    for area_id, need_ids in needs_by_area.items():
        code, name = area_info[area_id]
        row = GapRow(code=code, name=name, needs=len(need_ids))
        area_online: set[int] = set()
        area_points: dict[int, list[int]] = defaultdict(list)
        for plan_id in plans_by_area.get(area_id, ()):
            area_online.update(online.get(plan_id, ()))
            for point, ids in located.get(plan_id, {}).items():
                area_points[point].extend(ids)
        in_reach: set[int] = set(area_online)
        point_set = set(area_points)
        for need_id in need_ids:
            people, place, km = need_rows[need_id]
            row.people_needed += people
            near = reachable(place, km) & point_set
            for point in near:
                in_reach.update(area_points[point])
            if not area_online and not near:
                row.people_unmet += people
        row.offerings_in_reach = len(in_reach)
        rows.append(row)
    rows.sort(key=lambda r: (-r.people_unmet, -r.people_needed, r.code))
    return rows


def _area_names(qs: QuerySet[CompetenceArea]) -> list[tuple[int, str, str]]:
    return [(a.pk, a.code, a.name) for a in qs]


def counties() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Kind.COUNTY, is_active=True).order_by("number")


def region_from(county: str = "", municipalities_: list[str] | None = None) -> Region:
    """A region from a county number (or id) and/or municipality numbers (or ids)."""
    region = Region()
    county = (county or "").strip()
    if county.isdigit() and len(county) <= 9:  # longer numbers are no id (and overflow SQL)
        qs = Organisation.objects.filter(kind=Kind.COUNTY)
        region.county = (
            qs.filter(number=county) if len(county) == 2 else qs.filter(pk=int(county))
        ).first()
        if region.county is None:
            region.county = qs.filter(number=county).first()
    for value in municipalities_ or []:
        value = value.strip()
        if not value.isdigit() or len(value) > 9:
            continue
        qs = Organisation.objects.filter(kind=Kind.MUNICIPALITY)
        org = (qs.filter(number=value) if len(value) == 4 else qs.filter(pk=int(value))).first()
        if org is not None and org not in region.municipalities:
            region.municipalities.append(org)
    return region


def area_of(code: str) -> Any:
    return CompetenceArea.objects.filter(code=code).first()
