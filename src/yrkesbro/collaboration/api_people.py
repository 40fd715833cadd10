"""API for what the partnership pages edit besides the partnership itself.

Representatives, liaison persons, parties, the contact log, structure types,
meeting attendance and decisions, forum planning, ending an agreement, and the
caller's own notifications. Each endpoint calls the same service as the page,
and finds its partnership, meeting or forum through the same visibility rules
(``private_to`` / ``visible_to``): anything else answers 404.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yrkesbro.accounts.models import User
from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.api import (
    AgreementOut,
    OrgRef,
    PersonRef,
    _agreements,
    _forums,
    _meetings,
    _partnerships,
)
from yrkesbro.collaboration.models import (
    Agreement,
    Bindingness,
    ContactKind,
    Level,
    Meeting,
    Notification,
    Partnership,
    StructureType,
)
from yrkesbro.collaboration.services import agreements as agreement_services
from yrkesbro.collaboration.services import meetings as meeting_services
from yrkesbro.collaboration.services import notifications as notification_services
from yrkesbro.collaboration.services import partnerships as partnership_services
from yrkesbro.core.api import SIGNED_IN, actor
from yrkesbro.core.api_types import Day, Line, Text
from yrkesbro.core.errors import DomainError
from yrkesbro.core.inputs import ApiId
from yrkesbro.organisations.models import Organisation

router = Router(tags=["collaboration"])


def _person(partnership: Partnership, user_id: int, field: str) -> User:
    """A person from the accepted parties (the page's people picker offers no one else)."""
    person = selectors.pickable_people(partnership).filter(pk=user_id).first()
    if person is None:
        raise DomainError(_("Choose a person from one of the parties."), field=field)
    return person  # type: ignore[no-any-return]


# Representatives -------------------------------------------------------------------


class RepresentativeRow(Schema):
    id: int
    organisation: OrgRef
    user: PersonRef
    level: Level
    title: str


class RepresentativeIn(Schema):
    organisation_id: ApiId
    user_id: ApiId
    level: Level
    title: Line = Field("", max_length=200)


@router.get("/partnerships/{pk}/representatives", response=list[RepresentativeRow], auth=SIGNED_IN)
@paginate
def list_representatives(request: HttpRequest, pk: ApiId):  # type: ignore[no-untyped-def]
    """Who represents each party, on the strategic and the operational level."""
    p = get_object_or_404(_partnerships(request), pk=pk)
    return p.representatives.select_related("user", "organisation")


@router.post(
    "/partnerships/{pk}/representatives", response={201: RepresentativeRow}, auth=SIGNED_IN
)
def add_representative(request: HttpRequest, pk: ApiId, payload: RepresentativeIn):  # type: ignore[no-untyped-def]
    p = get_object_or_404(_partnerships(request), pk=pk)
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    rep = partnership_services.representative_add(
        actor=actor(request),
        partnership=p,
        organisation=org,
        user=_person(p, payload.user_id, "user_id"),
        level=payload.level,
        title=payload.title,
    )
    return Status(201, rep)


@router.delete("/partnerships/{pk}/representatives/{rep_id}", response={204: None}, auth=SIGNED_IN)
def remove_representative(request: HttpRequest, pk: ApiId, rep_id: ApiId):  # type: ignore[no-untyped-def]
    p = get_object_or_404(_partnerships(request), pk=pk)
    rep = get_object_or_404(p.representatives.all(), pk=rep_id)
    partnership_services.representative_remove(actor=actor(request), representative=rep)
    return Status(204, None)


# Liaison persons -------------------------------------------------------------------


class LiaisonOut(Schema):
    id: int
    user: PersonRef
    note: str


class LiaisonIn(Schema):
    user_id: ApiId
    note: Line = Field("", max_length=300)


@router.get("/partnerships/{pk}/liaisons", response=list[LiaisonOut], auth=SIGNED_IN)
@paginate
def list_liaisons(request: HttpRequest, pk: ApiId):  # type: ignore[no-untyped-def]
    """People who belong to two or more of the parties and link them."""
    p = get_object_or_404(_partnerships(request), pk=pk)
    return p.liaisons.select_related("user").order_by("user__full_name", "id")


@router.post("/partnerships/{pk}/liaisons", response={201: LiaisonOut}, auth=SIGNED_IN)
def add_liaison(request: HttpRequest, pk: ApiId, payload: LiaisonIn):  # type: ignore[no-untyped-def]
    p = get_object_or_404(_partnerships(request), pk=pk)
    liaison = partnership_services.liaison_add(
        actor=actor(request),
        partnership=p,
        user=_person(p, payload.user_id, "user_id"),
        note=payload.note,
    )
    return Status(201, liaison)


@router.delete("/partnerships/{pk}/liaisons/{liaison_id}", response={204: None}, auth=SIGNED_IN)
def remove_liaison(request: HttpRequest, pk: ApiId, liaison_id: ApiId):  # type: ignore[no-untyped-def]
    p = get_object_or_404(_partnerships(request), pk=pk)
    liaison = get_object_or_404(p.liaisons.all(), pk=liaison_id)
    partnership_services.liaison_remove(actor=actor(request), liaison=liaison)
    return Status(204, None)


@router.delete("/partnerships/{pk}/parties/{organisation_id}", response={204: None}, auth=SIGNED_IN)
def remove_party(request: HttpRequest, pk: ApiId, organisation_id: ApiId):  # type: ignore[no-untyped-def]
    """Remove a party, or withdraw an invitation (editors of the partnership)."""
    p = get_object_or_404(_partnerships(request), pk=pk)
    party = get_object_or_404(
        p.parties.select_related("organisation"), organisation_id=organisation_id
    )
    partnership_services.party_remove(
        actor=actor(request), partnership=p, organisation=party.organisation
    )
    return Status(204, None)


# Contact log ----------------------------------------------------------------------


class ContactEntryOut(Schema):
    id: int
    partnership_id: int
    kind: ContactKind
    happened_on: date
    summary: str
    author: PersonRef | None
    created_at: datetime


class ContactEntryIn(Schema):
    kind: ContactKind
    happened_on: Day
    summary: Text = Field(min_length=1, max_length=2000)


@router.get("/partnerships/{pk}/contacts", response=list[ContactEntryOut], auth=SIGNED_IN)
@paginate
def list_contacts(request: HttpRequest, pk: ApiId):  # type: ignore[no-untyped-def]
    """Calls, messages, visits and requests logged between the parties, newest first."""
    p = get_object_or_404(_partnerships(request), pk=pk)
    return p.contacts.select_related("author")


@router.post("/partnerships/{pk}/contacts", response={201: ContactEntryOut}, auth=SIGNED_IN)
def log_contact(request: HttpRequest, pk: ApiId, payload: ContactEntryIn):  # type: ignore[no-untyped-def]
    p = get_object_or_404(_partnerships(request), pk=pk)
    entry = partnership_services.contact_log(
        actor=actor(request),
        partnership=p,
        kind=payload.kind,
        happened_on=payload.happened_on,
        summary=payload.summary,
    )
    return Status(201, entry)


# Structure types ------------------------------------------------------------------


class StructureTypeOut(Schema):
    id: int
    name: str
    description: str
    bindingness: Bindingness
    owner: OrgRef | None
    partnership_id: int | None


class StructureTypeIn(Schema):
    name: Line = Field(min_length=1, max_length=120)
    bindingness: Bindingness
    description: Text = Field("", max_length=5000)
    owner_id: ApiId | None = Field(None, description="The county that defines the type")
    partnership_id: ApiId | None = Field(None, description="Or: the partnership, for itself")


@router.get("/structure-types", response=list[StructureTypeOut], auth=SIGNED_IN)
@paginate
def list_structure_types(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The counties' structure types, and those of partnerships you can see."""
    return (
        StructureType.objects.visible_to(actor(request))
        .select_related("owner")
        .order_by("name", "id")
    )


@router.post("/structure-types", response={201: StructureTypeOut}, auth=SIGNED_IN)
def create_structure_type(request: HttpRequest, payload: StructureTypeIn):  # type: ignore[no-untyped-def]
    owner = partnership = None
    if payload.partnership_id is not None:
        partnership = get_object_or_404(_partnerships(request), pk=payload.partnership_id)
    elif payload.owner_id is not None:
        owner = get_object_or_404(Organisation, pk=payload.owner_id)
    st = partnership_services.structure_type_create(
        actor=actor(request),
        name=payload.name,
        bindingness=payload.bindingness,
        description=payload.description,
        owner=owner,
        partnership=partnership,
    )
    return Status(201, st)


# Meetings: attendance and decisions; forums: planned meetings -----------------------


class AttendanceOut(Schema):
    meeting_id: int = Field(alias="pk")
    attendees: list[PersonRef]
    other_attendees: str

    @staticmethod
    def resolve_attendees(obj: Meeting) -> list[Any]:
        return list(obj.attendees.order_by("full_name", "username"))


class AttendanceIn(Schema):
    user_ids: list[ApiId] = Field(max_length=500, description="Everyone present from the parties")
    other_attendees: Line | None = Field(
        None, max_length=500, description="Others present, as text; left as it is if absent"
    )


@router.get("/meetings/{pk}/attendance", response=AttendanceOut, auth=SIGNED_IN)
def get_attendance(request: HttpRequest, pk: ApiId) -> Meeting:
    return get_object_or_404(_meetings(request), pk=pk)  # type: ignore[no-any-return]


@router.put("/meetings/{pk}/attendance", response=AttendanceOut, auth=SIGNED_IN)
def set_attendance(request: HttpRequest, pk: ApiId, payload: AttendanceIn) -> Meeting:
    """Replace the list of who was present."""
    meeting = get_object_or_404(_meetings(request), pk=pk)
    people = list(User.objects.filter(pk__in=payload.user_ids))
    if len(people) != len(set(payload.user_ids)):
        raise DomainError(
            _("Everyone present must be a member of one of the parties."), field="user_ids"
        )
    return meeting_services.meeting_set_attendance(
        actor=actor(request),
        meeting=meeting,
        attendees=people,
        other_attendees=payload.other_attendees,
    )


class DecisionOut(Schema):
    id: int
    meeting_id: int
    text: str


class DecisionIn(Schema):
    text: Text = Field(min_length=1, max_length=10000)


@router.post("/meetings/{pk}/decisions", response={201: DecisionOut}, auth=SIGNED_IN)
def add_decision(request: HttpRequest, pk: ApiId, payload: DecisionIn):  # type: ignore[no-untyped-def]
    meeting = get_object_or_404(_meetings(request), pk=pk)
    decision = meeting_services.decision_add(
        actor=actor(request), meeting=meeting, text=payload.text
    )
    return Status(201, decision)


class PlannedOut(Schema):
    created: int = Field(description="Planned meetings added (0 when the plan was complete)")


@router.post("/forums/{pk}/plan", response=PlannedOut, auth=SIGNED_IN)
def plan_meetings(request: HttpRequest, pk: ApiId) -> dict[str, int]:
    """Add planned meetings from the forum's cadence for the coming year (safe to repeat)."""
    forum = get_object_or_404(_forums(request), pk=pk)
    created = meeting_services.forum_plan_meetings(actor=actor(request), forum=forum)
    return {"created": created}


@router.post("/agreements/{pk}/terminate", response=AgreementOut, auth=SIGNED_IN)
def terminate_agreement(request: HttpRequest, pk: ApiId) -> Agreement:
    """End the agreement before its time (administrators of a party)."""
    agreement = get_object_or_404(_agreements(request), pk=pk)
    agreement_services.agreement_terminate(actor=actor(request), agreement=agreement)
    return get_object_or_404(_agreements(request), pk=pk)  # type: ignore[no-any-return]


# Notifications --------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationFilter(Schema):
    unread: bool | None = Field(None, description="true: only unread ones")


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications were marked as read")


@router.get("/notifications", response=list[NotificationOut], auth=SIGNED_IN)
@paginate
def list_notifications(request: HttpRequest, filters: Query[NotificationFilter]):  # type: ignore[no-untyped-def]
    """Your own notifications, newest first."""
    qs = selectors.notifications_of(actor(request))
    if filters.unread is not None:
        qs = qs.filter(read_at__isnull=filters.unread)
    return qs


@router.post("/notifications/read", response=MarkedOut, auth=SIGNED_IN)
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": notification_services.notifications_mark_all_read(actor=actor(request))}


@router.post("/notifications/{pk}/read", response=NotificationOut, auth=SIGNED_IN)
def mark_read(request: HttpRequest, pk: ApiId) -> Notification:
    note = get_object_or_404(selectors.notifications_of(actor(request)), pk=pk)
    return notification_services.notification_mark_read(actor=actor(request), notification=note)
