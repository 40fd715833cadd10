"""Reads: partnership lists, health signals, overviews and the network picture.

Health signals for a list are computed in a fixed number of queries, whatever
the number of partnerships.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from yrkesbro.collaboration.models import (
    CADENCE_MONTHS,
    ActionItem,
    ActionStatus,
    Agreement,
    AgreementStatus,
    Cadence,
    ContactEntry,
    Forum,
    Level,
    Meeting,
    MeetingStatus,
    Notification,
    Partnership,
    PartnershipParty,
    PartyStatus,
    Representative,
    Signature,
)
from yrkesbro.core import figures
from yrkesbro.core.charts import network_chart
from yrkesbro.core.models import AuditEntry
from yrkesbro.core.policies import Actor, Capability, is_platform_admin, organisation_ids_with
from yrkesbro.organisations.models import Organisation

YEAR = timedelta(days=365)


def partnership_list(*, actor: Actor, q: str = "", organisation: Any = None) -> QuerySet:
    qs = Partnership.objects.visible_to(actor)
    if organisation is not None:
        qs = qs.filter(
            id__in=PartnershipParty.objects.accepted()
            .filter(organisation=organisation)
            .values("partnership_id")
        )
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return _with_parties(qs)


def _with_parties(qs: QuerySet) -> QuerySet:
    return qs.select_related("structure_type").prefetch_related(
        Prefetch(
            "parties", queryset=PartnershipParty.objects.accepted().select_related("organisation")
        )
    )


def own_partnerships(actor: Actor) -> QuerySet:
    """The partnerships whose private parts the actor may read (its organisations take
    part), by name: not through ``visible_to``, whose OR with every public partnership
    they are already inside of made the count read the whole table. Only their names: the
    index shows each with its health (``with_health``), not its parties."""
    return Partnership.objects.private_to(actor).only("id", "name").order_by("name", "pk")


def public_partnerships() -> QuerySet:
    """Active public partnerships (anyone may see them), in name order, with their parties.

    Not through ``visible_to``: its OR with the actor's own partnerships is true of every
    public row anyway, and without it a page walks the ``partnership_public_name`` index
    and stops, and the count reads that index alone. Only the names of the partnerships
    and of their parties, which is all the index lists."""
    return (
        Partnership.objects.filter(is_public=True, is_active=True)
        .only("id", "name")
        .prefetch_related(party_names())
        .order_by("name", "pk")
    )


def party_names() -> Prefetch:
    """A list's ``partnership.parties.all``: the accepted parties with only their
    organisation's name (a page of 25 busy structures has a few hundred parties, and full
    organisation rows cost more than the rest of the list)."""
    return Prefetch(
        "parties",
        queryset=PartnershipParty.objects.accepted()
        .select_related("organisation")
        .only("id", "partnership_id", "organisation__name")
        .order_by("organisation__name", "pk"),  # as the model orders parties
    )


def accepted_party_organisations(partnership: Partnership) -> QuerySet:
    """The organisations that have accepted to be parties of ``partnership``."""
    return Organisation.objects.filter(
        id__in=partnership.parties.accepted().values("organisation_id")
    ).order_by("name")


def pickable_people(partnership: Partnership) -> QuerySet:
    """People who may be picked for anything in ``partnership`` (representatives, forum
    members, attendees, action owners): members of the parties that have accepted.

    Every people picker and every service that checks a chosen person uses this, so
    an invited (or declined) organisation's members are never listed nor e-mailed.
    """
    from yrkesbro.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=partnership.parties.accepted().values(
                "organisation_id"
            ),
        )
        .distinct()
        .order_by("full_name", "username")
    )


def invitations_for(actor: Actor) -> QuerySet:
    """Open invitations to partnerships that ``actor`` may answer (as an admin of the invitee)."""
    qs = PartnershipParty.objects.invited()
    if not is_platform_admin(actor):
        qs = qs.filter(organisation_id__in=organisation_ids_with(actor, Capability.MANAGE_MEMBERS))
    return qs.select_related("partnership", "organisation", "invited_by").order_by(
        "-joined_at", "-id"
    )


def leavable_parties(actor: Actor, partnership: Partnership) -> list[Organisation]:
    """Accepted parties that ``actor`` may take out of the partnership (as their admin)."""
    if not actor.is_authenticated:
        return []
    qs = Organisation.objects.filter(
        id__in=partnership.parties.accepted().values("organisation_id")
    )
    if not is_platform_admin(actor):
        qs = qs.filter(id__in=organisation_ids_with(actor, Capability.MANAGE_MEMBERS))
    return list(qs.order_by("name"))


def parties_with_status(partnership: Partnership) -> QuerySet:
    """All rows, accepted first, for the partnership page (invited ones are marked)."""
    return (
        partnership.parties.exclude(status=PartyStatus.DECLINED)
        .select_related("organisation")
        .order_by("status", "organisation__name")
    )


def in_county(county: Organisation) -> QuerySet:
    """Partnerships with at least one party in the county (or the county itself)."""
    party_orgs = Organisation.objects.filter(Q(county=county) | Q(pk=county.pk)).values("pk")
    return Partnership.objects.filter(
        id__in=PartnershipParty.objects.accepted()
        .filter(organisation_id__in=party_orgs)
        .values("partnership_id")
    )


def expected_meetings(cadence: str, started_on: date, today: date) -> int:
    """How many meetings the cadence asks for in the last 12 months (or since the start)."""
    start = max(started_on, today - YEAR)
    months = max(0.0, (today - start).days / (365 / 12))
    return math.floor(months / CADENCE_MONTHS[Cadence(cadence)] + 1e-9)


@dataclass
class ForumPulse:
    held: int
    expected: int

    @property
    def kept(self) -> bool:
        return self.held >= self.expected


def forums_with_pulse(
    forums: QuerySet[Forum], today: date | None = None
) -> list[tuple[Forum, ForumPulse]]:
    """Each forum with its pulse, counted in the forums' own query: one query for a
    partnership with any number of forums."""
    today = today or timezone.localdate()
    rows = forums.annotate(held_last_year=held_in_the_last_year(timezone.now()))
    return [
        (f, ForumPulse(f.held_last_year, expected_meetings(f.cadence, f.started_on, today)))
        for f in rows
    ]


def forum_pulse(forum: Forum, today: date | None = None) -> ForumPulse:
    return forums_with_pulse(Forum.objects.filter(pk=forum.pk), today)[0][1]


@dataclass
class Health:
    last_meeting: Any = None
    forums: int = 0
    held: int = 0
    expected: int = 0
    agreement_status: str = ""
    agreement_label: str = ""
    open_actions: int = 0
    overdue_actions: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def cadence_kept(self) -> bool | None:
        if not self.forums:
            return None
        return self.held >= self.expected

    @property
    def anchored(self) -> bool:
        return not self.missing

    @property
    def tightness(self) -> int:
        """A rough 0 to 6 score of how tightly the parties are coupled, for the network picture."""
        score = 0
        score += 1 if self.forums else 0
        score += 1 if self.cadence_kept else 0
        score += 2 if self.agreement_status in ("signed", "active", "renewal") else 0
        score += 1 if self.anchored else 0
        score += 1 if self.held >= 2 else 0
        return score


def held_in_the_last_year(now: datetime) -> Count:
    """A forum's meetings held in the twelve months up to ``now`` (its cadence's measure)."""
    return Count(
        "meetings",
        filter=Q(
            meetings__status=MeetingStatus.HELD,
            meetings__starts_at__gte=now - YEAR,
            meetings__starts_at__lte=now,
        ),
    )


def health_for(partnerships: list[Partnership], today: date | None = None) -> dict[int, Health]:
    """The health of a page of partnerships in six queries of plain rows.

    Rows (``values``), not model instances: a page of 25 busy partnerships has a few
    hundred agreements, forums and parties, and building an object for each was most of
    the collaboration index's time (issue 16).
    """
    today = today or timezone.localdate()
    now = timezone.now()
    ids = [p.pk for p in partnerships]
    result = {pk: Health() for pk in ids}
    for row in (
        Meeting.objects.filter(forum__partnership_id__in=ids, status=MeetingStatus.HELD)
        .values("forum__partnership_id")
        .annotate(last=Max("starts_at"))
    ):
        result[row["forum__partnership_id"]].last_meeting = row["last"]
    forums = (
        Forum.objects.filter(partnership_id__in=ids)
        .values("id", "partnership_id", "cadence", "started_on")  # one row per forum
        .annotate(held=held_in_the_last_year(now))
    )
    for forum in forums:
        h = result[forum["partnership_id"]]
        h.forums += 1
        h.held += forum["held"]
        h.expected += expected_meetings(forum["cadence"], forum["started_on"], today)
    ended = ("", AgreementStatus.EXPIRED, AgreementStatus.TERMINATED)
    for partnership_id, status in (
        Agreement.objects.filter(partnership_id__in=ids)
        .order_by("partnership_id", "-created_at")
        .values_list("partnership_id", "status")
    ):
        h = result[partnership_id]
        if h.agreement_status in ended:  # the newest agreement still in force, else the newest
            h.agreement_status = status
    labels = dict(AgreementStatus.choices)
    for h in result.values():
        if h.agreement_status:
            h.agreement_label = str(labels.get(h.agreement_status, h.agreement_status))
    for row in (
        ActionItem.objects.filter(meeting__forum__partnership_id__in=ids, status=ActionStatus.OPEN)
        .values("meeting__forum__partnership_id")
        .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
    ):
        h = result[row["meeting__forum__partnership_id"]]
        h.open_actions, h.overdue_actions = row["n"], row["late"]
    levels: dict[tuple[int, int], set[str]] = defaultdict(set)
    for partnership_id, organisation_id, level in Representative.objects.filter(
        partnership_id__in=ids
    ).values_list("partnership_id", "organisation_id", "level"):
        levels[(partnership_id, organisation_id)].add(level)
    no_strategic = _("%(org)s has no strategic representative.")
    no_operational = _("%(org)s has no operational representative.")
    for partnership_id, organisation_id, name in (
        PartnershipParty.objects.accepted()
        .filter(partnership_id__in=ids)
        .order_by("organisation__name", "pk")
        .values_list("partnership_id", "organisation_id", "organisation__name")
    ):
        have = levels[(partnership_id, organisation_id)]
        if Level.STRATEGIC not in have:
            result[partnership_id].missing.append(no_strategic % {"org": name})
        if Level.OPERATIONAL not in have:
            result[partnership_id].missing.append(no_operational % {"org": name})
    return result


def with_health(partnerships: QuerySet | list[Partnership]) -> list[tuple[Partnership, Health]]:
    items = list(partnerships)
    health = health_for(items)
    return [(p, health[p.pk]) for p in items]


def forum_actions(forum: Forum) -> QuerySet:
    return (
        ActionItem.objects.filter(meeting__forum=forum, status=ActionStatus.OPEN)
        .select_related("owner", "meeting")
        .order_by("due_on")
    )


@dataclass
class Network:
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    svg: str
    total_edges: int = 0  # couplings before ``max_edges`` kept the strongest


def _network(
    orgs: dict[int, Organisation], pairs: dict[tuple[int, int], dict[str, Any]]
) -> Network:
    """Nodes numbered by name, edges heaviest first, and the SVG, from organisations by id and
    ``pairs`` ((id, id) -> count, weight and partnership names)."""
    ordered = sorted(orgs.values(), key=lambda o: o.name)
    index = {org.pk: i for i, org in enumerate(ordered)}
    nodes = [
        {"number": i + 1, "id": org.pk, "name": org.name, "kind": org.get_kind_display()}
        for i, org in enumerate(ordered)
    ]
    edges = [
        {
            "a": orgs[id_a].name,
            "b": orgs[id_b].name,
            "a_number": index[id_a] + 1,
            "b_number": index[id_b] + 1,
            "count": pair["count"],
            "weight": pair["weight"],
            "names": pair["names"],
        }
        for (id_a, id_b), pair in pairs.items()
    ]
    edges.sort(key=lambda e: (-e["weight"], e["a_number"], e["b_number"]))
    svg = network_chart(
        _("Network of partnerships"),
        [org.name for org in ordered],
        [(e["a_number"] - 1, e["b_number"] - 1, e["weight"]) for e in edges],
    )
    return Network(nodes=nodes, edges=edges, svg=svg)


def network(partnerships: list[tuple[Partnership, Health]]) -> Network:
    """Who is coupled to whom: organisations on a circle, a line per pair of parties,
    thicker the more partnerships and the tighter they are. Drawn by core.charts."""
    orgs: dict[int, Organisation] = {}
    pairs: dict[tuple[int, int], dict[str, Any]] = {}
    for partnership, health in partnerships:
        members = [
            p.organisation for p in partnership.parties.all() if p.status == PartyStatus.ACCEPTED
        ]
        for org in members:
            orgs[org.pk] = org
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                key = (min(a.pk, b.pk), max(a.pk, b.pk))
                pair = pairs.setdefault(key, {"count": 0, "weight": 0, "names": []})
                pair["count"] += 1
                pair["weight"] += 1 + health.tightness
                pair["names"].append(partnership.name)
    return _network(orgs, pairs)


@dataclass
class TimelineItem:
    day: date
    kind: str
    text: str
    url: str = ""


def timeline(partnership: Partnership, limit: int = 60) -> list[TimelineItem]:
    """All contact between the parties, newest first: meetings held, logged contacts,
    agreement versions and signatures."""
    items: list[TimelineItem] = []
    for meeting in Meeting.objects.filter(
        forum__partnership=partnership, status=MeetingStatus.HELD
    ).order_by("-starts_at")[:limit]:
        items.append(
            TimelineItem(
                timezone.localtime(meeting.starts_at).date(),
                _("Meeting"),
                meeting.title,
                meeting.get_absolute_url(),
            )
        )
    for entry in ContactEntry.objects.filter(partnership=partnership).select_related("author")[
        :limit
    ]:
        who = entry.author.display_name if entry.author else ""
        text = f"{entry.summary} ({who})" if who else entry.summary
        items.append(TimelineItem(entry.happened_on, entry.get_kind_display(), text))
    for sig in Signature.objects.filter(version__agreement__partnership=partnership).select_related(
        "organisation", "version__agreement"
    )[:limit]:
        agreement = sig.version.agreement
        items.append(
            TimelineItem(
                timezone.localtime(sig.signed_at).date(),
                _("Signature"),
                _("%(org)s signed %(title)s, version %(n)s")
                % {"org": sig.organisation.name, "title": agreement.title, "n": sig.version.number},
                agreement.get_absolute_url(),
            )
        )
    # Requests, offers and acceptances between the parties (matching), via workforce.
    from yrkesbro.workforce.timeline import request_items

    items.extend(TimelineItem(*item) for item in request_items(partnership, limit))
    items.sort(key=lambda item: item.day, reverse=True)
    return items[:limit]


def overview_counties(actor: Actor) -> QuerySet[Organisation]:
    """Counties whose collaboration overview ``actor`` may read: a county's own staff read
    theirs; staff of a state agency (national analysts) and platform administrators read
    every county's, because the overview holds health signals only, never minutes."""
    from yrkesbro.core.policies import Capability, is_platform_admin, organisation_ids_with
    from yrkesbro.organisations.models import Kind

    counties = Organisation.objects.filter(kind=Kind.COUNTY)
    internal = organisation_ids_with(actor, Capability.VIEW_INTERNAL)
    national = Organisation.objects.filter(kind=Kind.STATE_AGENCY, id__in=internal).exists()
    if is_platform_admin(actor) or national:
        return counties
    return counties.filter(id__in=internal)


def notifications_of(actor: Actor) -> QuerySet:
    """The actor's own notifications, newest first (none for a visitor)."""
    return Notification.objects.filter(user_id=actor.pk or 0)


# The county overview at scale: figures for every structure from light aggregate rows, and
# health in full only for the page shown.


@dataclass
class Pulse:
    """What the overview needs of a partnership's health for its totals, its cadence filter
    and the network: the same rules as ``Health``, computed from a few aggregate rows."""

    forums: int = 0
    held: int = 0
    expected: int = 0
    agreement_status: str = ""
    anchored: bool = True

    @property
    def cadence_kept(self) -> bool | None:
        if not self.forums:
            return None
        return self.held >= self.expected

    @property
    def tightness(self) -> int:
        """``Health.tightness`` of the same partnership."""
        return Health(
            forums=self.forums,
            held=self.held,
            expected=self.expected,
            agreement_status=self.agreement_status,
            missing=[] if self.anchored else ["x"],
        ).tightness


def pulses(partnerships: QuerySet, today: date | None = None) -> dict[int, Pulse]:
    """``Pulse`` of every partnership in ``partnerships`` (a query set, used as a sub-query):
    four queries of small tuples, no model objects, whatever the number of partnerships."""
    today = today or timezone.localdate()
    now = timezone.now()
    ids = partnerships.values("pk")
    result: dict[int, Pulse] = {pk: Pulse() for pk in ids.values_list("pk", flat=True)}
    for pid, cadence, started_on, held in (
        Forum.objects.filter(partnership_id__in=ids)
        .annotate(held=held_in_the_last_year(now))
        .values_list("partnership_id", "cadence", "started_on", "held")
    ):
        pulse = result[pid]
        pulse.forums += 1
        pulse.held += held
        pulse.expected += expected_meetings(cadence, started_on, today)
    for pid, status in (
        Agreement.objects.filter(partnership_id__in=ids)
        .order_by("partnership_id", "-created_at")
        .values_list("partnership_id", "status")
    ):
        pulse = result[pid]
        if pulse.agreement_status in ("", AgreementStatus.EXPIRED, AgreementStatus.TERMINATED):
            pulse.agreement_status = status
    levels: dict[tuple[int, int], set[str]] = defaultdict(set)
    for pid, org, level in Representative.objects.filter(partnership_id__in=ids).values_list(
        "partnership_id", "organisation_id", "level"
    ):
        levels[(pid, org)].add(level)
    for pid, org in (
        PartnershipParty.objects.accepted()
        .filter(partnership_id__in=ids)
        .values_list("partnership_id", "organisation_id")
    ):
        if not {Level.STRATEGIC, Level.OPERATIONAL} <= levels[(pid, org)]:
            result[pid].anchored = False
    return result


def county_network(
    partnerships: QuerySet, pulse: dict[int, Pulse], max_edges: int | None = None
) -> Network:
    """``network`` of ``partnerships`` from the pairs of accepted parties (one query of id
    pairs) and the pulses, without loading partnerships or their parties.

    ``max_edges`` keeps the strongest couplings (weight, then count) and the organisations
    they join: a county with a thousand structures has thousands of couplings, which no one
    can read in one figure and which made the page over half a megabyte."""
    a = PartnershipParty.objects.accepted().filter(partnership_id__in=partnerships.values("pk"))
    pairs: dict[tuple[int, int], dict[str, Any]] = {}
    members: dict[int, list[int]] = defaultdict(list)
    for pid, org in a.order_by("partnership_id", "id").values_list(
        "partnership_id", "organisation_id"
    ):
        members[pid].append(org)
    names = dict(Partnership.objects.filter(pk__in=list(members)).values_list("pk", "name"))
    for pid, party_ids in members.items():
        weight = 1 + pulse[pid].tightness if pid in pulse else 1
        for i, x in enumerate(party_ids):
            for y in party_ids[i + 1 :]:
                key = (min(x, y), max(x, y))
                pair = pairs.setdefault(key, {"count": 0, "weight": 0, "names": []})
                pair["count"] += 1
                pair["weight"] += weight
                pair["names"].append(names.get(pid, ""))
    total = len(pairs)
    if max_edges is not None and total > max_edges:
        strongest = sorted(pairs.items(), key=lambda kv: (-kv[1]["weight"], -kv[1]["count"], kv[0]))
        pairs = dict(strongest[:max_edges])
    org_ids = {org for key in pairs for org in key}
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=org_ids).only("pk", "name", "kind")}
    graph = _network(orgs, pairs)
    graph.total_edges = total
    return graph


# The county overview's pulses and network are the same for every reader of the county and
# read every structure in it (about 1,000 in Innlandet at national scale), so they are
# stored (``core.figures``) under a version of the collaboration data: every write through a
# service records an audit entry, and the row counts catch loads that bypass the services;
# the pulses count meetings of the last year up to today, so the day is part of it. With
# more than ``LIVE_MAX_PARTNERSHIPS`` structures in the country, an out-of-date unfiltered
# overview shows its last figures while the worker computes new ones (a change anywhere
# moves the version: 600 ms per county at factor 10); a filtered one is computed on the
# request.
LIVE_MAX_PARTNERSHIPS = 2_000


def collaboration_version() -> str:
    """What the county figures read, in seven cheap aggregates."""
    return "|".join(
        str(x)
        for x in (
            AuditEntry.objects.aggregate(last=Max("pk"))["last"],
            Partnership.objects.count(),
            PartnershipParty.objects.count(),
            Representative.objects.count(),
            Forum.objects.count(),
            Meeting.objects.count(),
            Agreement.objects.count(),
            timezone.localdate(),
        )
    )


@dataclass
class CountyFigures:
    pulses: dict[int, Pulse]
    network: Network
    computed_at: Any = None
    updating: bool = False  # out of date; the worker is computing new ones


def county_figures(
    county: Organisation,
    filters: dict[str, Any],
    partnerships: QuerySet,
    max_edges: int | None = None,
    *,
    refresh: bool = False,
) -> CountyFigures:
    """The pulses of ``partnerships`` (the county's, filtered) and their network, stored.

    ``filters`` are the overview's cleaned filters: a cadence filter keeps the pulses of
    the structures that keep (or miss) their cadence, and the network is drawn of those.
    ``refresh``: the worker's call for the unfiltered overview (``refresh_county_figures``)."""
    wanted = sorted((k, str(getattr(v, "pk", v))) for k, v in filters.items() if v)

    def build() -> dict[str, Any]:
        pulse = pulses(partnerships)
        chosen = partnerships
        if filters.get("cadence") in ("kept", "missed"):
            want = filters["cadence"] == "kept"
            pulse = {pk: p for pk, p in pulse.items() if p.cadence_kept is want}
            chosen = partnerships.filter(pk__in=list(pulse))
        graph = county_network(chosen, pulse, max_edges=max_edges)
        return {
            "pulses": [
                [pk, p.forums, p.held, p.expected, p.agreement_status, p.anchored]
                for pk, p in pulse.items()
            ],
            "network": {
                "nodes": graph.nodes,
                "edges": graph.edges,
                "svg": str(graph.svg),
                "total_edges": graph.total_edges,
            },
        }

    if filters.get("q"):
        # a name typed in: any text, so computed for this request and never stored
        return _county_figures(build(), timezone.now(), updating=False)
    language = get_language()
    key = f"collaboration:county:{county.pk}:{language}:{figures.digest((wanted, max_edges))}"
    version = (collaboration_version(), wanted, max_edges, language)
    if refresh:
        found = figures.refresh(key, version, build)
    else:
        found = figures.read(
            key,
            version,
            build,
            live=bool(wanted) or Partnership.objects.count() <= LIVE_MAX_PARTNERSHIPS,
            ask_worker=lambda: _request_county_refresh(county.pk, language),
        )
    return _county_figures(found.data, found.computed_at, updating=found.updating)


def _county_figures(data: dict[str, Any], computed_at: Any, *, updating: bool) -> CountyFigures:
    net = data["network"]
    return CountyFigures(
        pulses={
            pk: Pulse(forums, held, expected, status, anchored)
            for pk, forums, held, expected, status, anchored in data["pulses"]
        },
        # our own chart, every name escaped when it was drawn (core.charts.network_chart)
        network=Network(net["nodes"], net["edges"], mark_safe(net["svg"]), net["total_edges"]),
        computed_at=computed_at,
        updating=updating,
    )


def _request_county_refresh(county_id: int, language: str) -> None:
    from yrkesbro.collaboration.tasks import refresh_county_figures
    from yrkesbro.core.tasks import enqueue_once

    enqueue_once(refresh_county_figures, county_id, language)
