"""API for partnerships, agreements, forums, meetings and action items.

Everything here is scoped to the parties: a list holds what the caller's
organisations take part in, and anything else answers 404. Writes go through
the same services as the web pages.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yrkesbro.accounts.models import User
from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.models import (
    ActionItem,
    ActionStatus,
    Agreement,
    Bindingness,
    Cadence,
    Forum,
    Level,
    Meeting,
    MeetingStatus,
    Partnership,
    PartnershipParty,
    PartyStatus,
)
from yrkesbro.collaboration.services import agreements as agreement_services
from yrkesbro.collaboration.services import meetings as meeting_services
from yrkesbro.collaboration.services import partnerships as partnership_services
from yrkesbro.core.api import SIGNED_IN, actor, patch_data
from yrkesbro.core.api_types import Day, Line, Moment, Text
from yrkesbro.core.inputs import ApiId
from yrkesbro.organisations.models import Organisation
from yrkesbro.taxonomy.models import CompetenceArea

router = Router(tags=["collaboration"])


class OrgRef(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    name: str = Field(alias="display_name")


class RepresentativeOut(Schema):
    organisation: OrgRef
    user: PersonRef
    level: Level
    title: str


class PartnershipOut(Schema):
    id: int
    name: str
    purpose: str
    bindingness: Bindingness
    structure_type: str | None = Field(None, alias="structure_type.name")
    trades: str
    is_public: bool
    parties: list[OrgRef]
    invited: list[OrgRef]
    competence_areas: list[str]
    representatives: list[RepresentativeOut]

    @staticmethod
    def resolve_parties(obj: Partnership) -> list[Organisation]:
        return [p.organisation for p in obj.parties.all() if p.status == PartyStatus.ACCEPTED]

    @staticmethod
    def resolve_invited(obj: Partnership) -> list[Organisation]:
        return [p.organisation for p in obj.parties.all() if p.status == PartyStatus.INVITED]

    @staticmethod
    def resolve_competence_areas(obj: Partnership) -> list[str]:
        return [a.code for a in obj.competence_areas.all()]

    @staticmethod
    def resolve_representatives(obj: Partnership) -> list[Any]:
        return list(obj.representatives.all())


class PartnershipIn(Schema):
    name: Line = Field(min_length=1, max_length=200)
    purpose: Text = Field(min_length=1, max_length=10000)
    organisation_ids: list[ApiId] = Field(min_length=2, max_length=50)
    bindingness: Bindingness = Bindingness.INFORMAL
    trades: Text = Field("", max_length=500)
    is_public: bool = True
    competence_areas: list[Line] = Field(default_factory=list, max_length=100)


class PartnershipPatch(Schema):
    name: Line | None = Field(None, min_length=1, max_length=200)
    purpose: Text | None = Field(None, min_length=1, max_length=10000)
    bindingness: Bindingness | None = None
    trades: Text | None = Field(None, max_length=500)
    is_public: bool | None = None
    competence_areas: list[Line] | None = Field(None, max_length=100)


class CommitmentOut(Schema):
    organisation: OrgRef
    text: str


class SignatureOut(Schema):
    organisation: OrgRef
    user: PersonRef
    signed_at: datetime


class VersionOut(Schema):
    number: int
    purpose: str
    meeting_cadence: str
    starts_on: date
    ends_on: date
    contacts: str
    signatories: str
    commitments: list[CommitmentOut]
    signatures: list[SignatureOut]

    @staticmethod
    def resolve_commitments(obj: Any) -> list[Any]:
        return list(obj.commitments.all())

    @staticmethod
    def resolve_signatures(obj: Any) -> list[Any]:
        return list(obj.signatures.all())


class AgreementOut(Schema):
    id: int
    partnership_id: int
    title: str
    status: str
    current: VersionOut
    versions: list[int]

    @staticmethod
    def resolve_versions(obj: Agreement) -> list[int]:
        return sorted(v.number for v in obj.versions.all())


class VersionIn(Schema):
    purpose: Text | None = Field(None, min_length=1, max_length=10000)
    meeting_cadence: Cadence | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    contacts: Text | None = Field(None, max_length=5000)
    signatories: Text | None = Field(None, max_length=5000)
    commitments: dict[ApiId, Text] | None = Field(
        None,
        description="Organisation id → what that party commits to",
        json_schema_extra={"propertyNames": {"pattern": "^[1-9][0-9]{0,17}$"}},
    )


class AgreementIn(VersionIn):
    partnership_id: ApiId
    title: Line = Field(min_length=1, max_length=200)
    purpose: Text = Field(min_length=1, max_length=10000)  # type: ignore[assignment]
    starts_on: Day  # type: ignore[assignment]
    ends_on: Day  # type: ignore[assignment]


class SignIn(Schema):
    organisation_id: ApiId


class ForumOut(Schema):
    id: int
    partnership_id: int
    name: str
    mandate: str
    cadence: Cadence
    started_on: date
    organisations: list[OrgRef]
    people: list[PersonRef]

    @staticmethod
    def resolve_organisations(obj: Forum) -> list[Any]:
        return list(obj.organisations.all())

    @staticmethod
    def resolve_people(obj: Forum) -> list[Any]:
        return list(obj.people.all())


class ForumIn(Schema):
    partnership_id: ApiId
    name: Line = Field(min_length=1, max_length=200)
    mandate: Text = Field(min_length=1, max_length=10000)
    cadence: Cadence = Cadence.QUARTERLY
    started_on: Day | None = None


class ForumPatch(Schema):
    name: Line | None = Field(None, min_length=1, max_length=200)
    mandate: Text | None = Field(None, min_length=1, max_length=10000)
    cadence: Cadence | None = None
    started_on: Day | None = None


class MeetingOut(Schema):
    id: int
    forum_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    video_url: str
    agenda: str
    minutes: str
    status: MeetingStatus
    decisions: list[str]

    @staticmethod
    def resolve_decisions(obj: Meeting) -> list[str]:
        return [d.text for d in obj.decisions.all()]


class MeetingPatch(Schema):
    title: Line | None = Field(None, min_length=1, max_length=200)
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    place: Line | None = Field(None, max_length=200)
    video_url: Line | None = Field(None, max_length=200)
    agenda: Text | None = Field(None, max_length=20000)
    minutes: Text | None = Field(None, max_length=50000)
    status: MeetingStatus | None = None


class MeetingIn(MeetingPatch):
    forum_id: ApiId
    title: Line = Field(min_length=1, max_length=200)  # type: ignore[assignment]
    starts_at: Moment  # type: ignore[assignment]
    ends_at: Moment  # type: ignore[assignment]


class ActionOut(Schema):
    id: int
    meeting_id: int
    title: str
    owner: PersonRef
    due_on: date
    status: ActionStatus
    completed_at: datetime | None


class ActionIn(Schema):
    meeting_id: ApiId
    title: Line = Field(min_length=1, max_length=300)
    owner_id: ApiId
    due_on: Day


class ActionPatch(Schema):
    status: ActionStatus


class MeetingFilter(Schema):
    forum_id: ApiId | None = None


def _areas(codes: list[str]) -> list[CompetenceArea]:
    return list(CompetenceArea.objects.filter(code__in=codes))


def _partnerships(request: HttpRequest) -> Any:
    return (
        Partnership.objects.private_to(actor(request))
        .select_related("structure_type")
        .prefetch_related(
            "parties__organisation",
            "competence_areas",
            "representatives__user",
            "representatives__organisation",
        )
    )


@router.get("/partnerships", response=list[PartnershipOut], auth=SIGNED_IN)
@paginate
def list_partnerships(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Partnerships your organisations take part in."""
    return _partnerships(request)


@router.get("/partnerships/{pk}", response=PartnershipOut, auth=SIGNED_IN)
def get_partnership(request: HttpRequest, pk: ApiId) -> Partnership:
    return get_object_or_404(_partnerships(request), pk=pk)


@router.post("/partnerships", response={201: PartnershipOut}, auth=SIGNED_IN)
def create_partnership(request: HttpRequest, payload: PartnershipIn):  # type: ignore[no-untyped-def]
    orgs = list(Organisation.objects.filter(pk__in=payload.organisation_ids))
    data = payload.dict(exclude={"organisation_ids", "competence_areas"})
    p = partnership_services.partnership_create(
        actor=actor(request),
        data=data,
        organisations=orgs,
        competence_areas=_areas(payload.competence_areas),
    )
    return Status(201, p)


@router.patch("/partnerships/{pk}", response=PartnershipOut, auth=SIGNED_IN)
def update_partnership(request: HttpRequest, pk: ApiId, payload: PartnershipPatch) -> Partnership:
    p = get_object_or_404(_partnerships(request), pk=pk)
    data = patch_data(payload, Partnership)
    areas = data.pop("competence_areas", None)
    return partnership_services.partnership_update(
        actor=actor(request),
        partnership=p,
        data=data,
        competence_areas=None if areas is None else _areas(areas),
    )


def _agreements(request: HttpRequest) -> Any:
    return (
        Agreement.objects.visible_to(actor(request))
        .select_related("partnership")
        .prefetch_related(
            "versions__commitments__organisation",
            "versions__signatures__organisation",
            "versions__signatures__user",
        )
    )


@router.get("/agreements", response=list[AgreementOut], auth=SIGNED_IN)
@paginate
def list_agreements(request: HttpRequest):  # type: ignore[no-untyped-def]
    return _agreements(request)


@router.get("/agreements/{pk}", response=AgreementOut, auth=SIGNED_IN)
def get_agreement(request: HttpRequest, pk: ApiId) -> Agreement:
    return get_object_or_404(_agreements(request), pk=pk)


@router.post("/agreements", response={201: AgreementOut}, auth=SIGNED_IN)
def create_agreement(request: HttpRequest, payload: AgreementIn):  # type: ignore[no-untyped-def]
    p = get_object_or_404(Partnership.objects.private_to(actor(request)), pk=payload.partnership_id)
    data = payload.dict(exclude={"partnership_id", "title", "commitments"}, exclude_none=True)
    return Status(
        201,
        agreement_services.agreement_create(
            actor=actor(request),
            partnership=p,
            title=payload.title,
            data=data,
            commitments=payload.commitments or {},
        ),
    )


@router.patch("/agreements/{pk}", response=AgreementOut, auth=SIGNED_IN)
def update_agreement(request: HttpRequest, pk: ApiId, payload: VersionIn) -> Agreement:
    """Change the text; once sent or signed this makes a new version."""
    agreement = get_object_or_404(_agreements(request), pk=pk)
    data = payload.dict(exclude={"commitments"}, exclude_unset=True, exclude_none=True)
    agreement_services.agreement_edit(
        actor=actor(request),
        agreement=agreement,
        data=data,
        commitments=payload.commitments or {},
    )
    agreement.refresh_from_db()
    return agreement


@router.post("/agreements/{pk}/send", response=AgreementOut, auth=SIGNED_IN)
def send_agreement(request: HttpRequest, pk: ApiId) -> Agreement:
    agreement = get_object_or_404(_agreements(request), pk=pk)
    return agreement_services.agreement_send(actor=actor(request), agreement=agreement)


@router.post("/agreements/{pk}/sign", response=AgreementOut, auth=SIGNED_IN)
def sign_agreement(request: HttpRequest, pk: ApiId, payload: SignIn) -> Agreement:
    """Sign the current version for a party you are an administrator of."""
    agreement = get_object_or_404(_agreements(request), pk=pk)
    agreement_services.agreement_sign(
        actor=actor(request), agreement=agreement, organisation=payload.organisation_id
    )
    agreement.refresh_from_db()
    return agreement


def _forums(request: HttpRequest) -> Any:
    return Forum.objects.visible_to(actor(request)).prefetch_related("organisations", "people")


@router.get("/forums", response=list[ForumOut], auth=SIGNED_IN)
@paginate
def list_forums(request: HttpRequest):  # type: ignore[no-untyped-def]
    return _forums(request)


@router.get("/forums/{pk}", response=ForumOut, auth=SIGNED_IN)
def get_forum(request: HttpRequest, pk: ApiId) -> Forum:
    return get_object_or_404(_forums(request), pk=pk)


@router.post("/forums", response={201: ForumOut}, auth=SIGNED_IN)
def create_forum(request: HttpRequest, payload: ForumIn):  # type: ignore[no-untyped-def]
    p = get_object_or_404(Partnership.objects.private_to(actor(request)), pk=payload.partnership_id)
    data = payload.dict(exclude={"partnership_id"}, exclude_none=True)
    return Status(
        201, meeting_services.forum_create(actor=actor(request), partnership=p, data=data)
    )


@router.patch("/forums/{pk}", response=ForumOut, auth=SIGNED_IN)
def update_forum(request: HttpRequest, pk: ApiId, payload: ForumPatch) -> Forum:
    forum = get_object_or_404(_forums(request), pk=pk)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    return meeting_services.forum_update(actor=actor(request), forum=forum, data=data)


def _meetings(request: HttpRequest) -> Any:
    return Meeting.objects.visible_to(actor(request)).prefetch_related("decisions")


@router.get("/meetings", response=list[MeetingOut], auth=SIGNED_IN)
@paginate
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]):  # type: ignore[no-untyped-def]
    qs = _meetings(request)
    if filters.forum_id is not None:
        qs = qs.filter(forum_id=filters.forum_id)
    return qs


@router.get("/meetings/{pk}", response=MeetingOut, auth=SIGNED_IN)
def get_meeting(request: HttpRequest, pk: ApiId) -> Meeting:
    return get_object_or_404(_meetings(request), pk=pk)


@router.post("/meetings", response={201: MeetingOut}, auth=SIGNED_IN)
def create_meeting(request: HttpRequest, payload: MeetingIn):  # type: ignore[no-untyped-def]
    forum = get_object_or_404(Forum.objects.visible_to(actor(request)), pk=payload.forum_id)
    data = payload.dict(exclude={"forum_id"}, exclude_none=True)
    return Status(
        201, meeting_services.meeting_create(actor=actor(request), forum=forum, data=data)
    )


@router.patch("/meetings/{pk}", response=MeetingOut, auth=SIGNED_IN)
def update_meeting(request: HttpRequest, pk: ApiId, payload: MeetingPatch) -> Meeting:
    meeting = get_object_or_404(_meetings(request), pk=pk)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    return meeting_services.meeting_update(actor=actor(request), meeting=meeting, data=data)


def _actions(request: HttpRequest) -> Any:
    return ActionItem.objects.visible_to(actor(request)).select_related("owner")


@router.get("/action-items", response=list[ActionOut], auth=SIGNED_IN)
@paginate
def list_actions(request: HttpRequest):  # type: ignore[no-untyped-def]
    return _actions(request)


@router.get("/action-items/{pk}", response=ActionOut, auth=SIGNED_IN)
def get_action(request: HttpRequest, pk: ApiId) -> ActionItem:
    return get_object_or_404(_actions(request), pk=pk)


@router.post("/action-items", response={201: ActionOut}, auth=SIGNED_IN)
def create_action(request: HttpRequest, payload: ActionIn):  # type: ignore[no-untyped-def]
    meeting = get_object_or_404(_meetings(request), pk=payload.meeting_id)
    owner = get_object_or_404(User, pk=payload.owner_id)
    return Status(
        201,
        meeting_services.action_create(
            actor=actor(request),
            meeting=meeting,
            title=payload.title,
            owner=owner,
            due_on=payload.due_on,
        ),
    )


@router.patch("/action-items/{pk}", response=ActionOut, auth=SIGNED_IN)
def update_action(request: HttpRequest, pk: ApiId, payload: ActionPatch) -> ActionItem:
    action = get_object_or_404(_actions(request), pk=pk)
    return meeting_services.action_set_status(
        actor=actor(request), action=action, status=payload.status
    )


class PartnershipRef(Schema):
    id: int
    name: str


class PartyInvitationOut(Schema):
    id: int
    partnership: PartnershipRef
    organisation: OrgRef
    status: PartyStatus
    invited_at: datetime = Field(alias="joined_at")


class PartyIn(Schema):
    organisation_id: ApiId
    role: str = Field("", max_length=200)


class LeaveIn(Schema):
    organisation_id: ApiId


@router.get("/partnership-invitations", response=list[PartyInvitationOut], auth=SIGNED_IN)
@paginate
def list_invitations(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Open invitations your organisations (where you are an administrator) may answer."""
    return selectors.invitations_for(actor(request))


def _invitation(request: HttpRequest, pk: int) -> PartnershipParty:
    return get_object_or_404(selectors.invitations_for(actor(request)), pk=pk)


@router.post("/partnership-invitations/{pk}/accept", response=PartyInvitationOut, auth=SIGNED_IN)
def accept_invitation(request: HttpRequest, pk: ApiId) -> PartnershipParty:
    return partnership_services.party_accept(actor=actor(request), party=_invitation(request, pk))


@router.post("/partnership-invitations/{pk}/decline", response=PartyInvitationOut, auth=SIGNED_IN)
def decline_invitation(request: HttpRequest, pk: ApiId) -> PartnershipParty:
    return partnership_services.party_decline(actor=actor(request), party=_invitation(request, pk))


@router.post("/partnerships/{pk}/parties", response={201: PartyInvitationOut}, auth=SIGNED_IN)
def invite_party(request: HttpRequest, pk: ApiId, payload: PartyIn):  # type: ignore[no-untyped-def]
    """Invite an organisation; it takes part once an administrator there accepts."""
    p = get_object_or_404(_partnerships(request), pk=pk)
    org = get_object_or_404(Organisation.objects.filter(is_active=True), pk=payload.organisation_id)
    party = partnership_services.party_add(
        actor=actor(request), partnership=p, organisation=org, role=payload.role
    )
    return Status(201, party)


@router.post("/partnerships/{pk}/leave", response={204: None}, auth=SIGNED_IN)
def leave_partnership(request: HttpRequest, pk: ApiId, payload: LeaveIn):  # type: ignore[no-untyped-def]
    """Take one of your organisations (where you are an administrator) out of the partnership."""
    p = get_object_or_404(_partnerships(request), pk=pk)
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    partnership_services.party_leave(actor=actor(request), partnership=p, organisation=org)
    return Status(204, None)
