"""API for memberships, invitations and the signed-in user."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from yrkesbro.accounts import selectors, services
from yrkesbro.accounts.models import Membership
from yrkesbro.core.api import SIGNED_IN, actor
from yrkesbro.core.api_types import Email
from yrkesbro.core.errors import NotFound
from yrkesbro.core.inputs import ApiId
from yrkesbro.core.policies import Role
from yrkesbro.organisations.models import Organisation

router = Router(tags=["people"])


class MembershipOrgRef(Schema):
    id: int
    name: str
    kind: str


class UserRef(Schema):
    id: int
    username: str
    display_name: str


class MembershipOut(Schema):
    id: int
    user: UserRef
    organisation: MembershipOrgRef
    role: Role
    title: str
    created_at: datetime


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    is_platform_admin: bool
    memberships: list[MembershipOut]


class RoleIn(Schema):
    role: Role


class InvitationIn(Schema):
    email: Email
    role: Role = Role.VIEWER


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    expires_at: datetime


@router.get("/me", response=MeOut, auth=SIGNED_IN)
def me(request: HttpRequest) -> dict[str, object]:
    user = actor(request)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "is_platform_admin": user.is_superuser,
        "memberships": list(selectors.memberships_of_user(actor=user).select_related("user")),
    }


def _visible_org(request: HttpRequest, org_id: ApiId) -> Organisation:
    return get_object_or_404(Organisation.objects.visible_to(actor(request)), pk=org_id)


@router.get("/organisations/{org_id}/memberships", response=list[MembershipOut], auth=SIGNED_IN)
@paginate
def list_memberships(request: HttpRequest, org_id: ApiId):  # type: ignore[no-untyped-def]
    """Members of an organisation, for its own members. Others get 404."""
    org = _visible_org(request, org_id)
    members = selectors.members_of(actor=actor(request), organisation=org).select_related(
        "organisation"
    )
    if not members.exists():
        raise NotFound(_("Not found."))
    return members


@router.post("/organisations/{org_id}/invitations", response={201: InvitationOut}, auth=SIGNED_IN)
def create_invitation(request: HttpRequest, org_id: ApiId, payload: InvitationIn):  # type: ignore[no-untyped-def]
    org = _visible_org(request, org_id)
    invitation, _token = services.invitation_create(
        actor=actor(request), organisation=org, email=payload.email, role=payload.role
    )
    return Status(201, invitation)


def _membership(request: HttpRequest, membership_id: ApiId) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(actor(request)).select_related("user", "organisation"),
        pk=membership_id,
    )


@router.patch("/memberships/{membership_id}", response=MembershipOut, auth=SIGNED_IN)
def change_role(request: HttpRequest, membership_id: ApiId, payload: RoleIn) -> Membership:
    membership = _membership(request, membership_id)
    return services.membership_change_role(
        actor=actor(request), membership=membership, role=payload.role
    )


@router.delete("/memberships/{membership_id}", response={204: None}, auth=SIGNED_IN)
def remove_membership(request: HttpRequest, membership_id: ApiId) -> Status:
    membership = _membership(request, membership_id)
    services.membership_remove(actor=actor(request), membership=membership)
    return Status(204, None)


@router.delete(
    "/organisations/{org_id}/invitations/{invitation_id}", response={204: None}, auth=SIGNED_IN
)
def revoke_invitation(request: HttpRequest, org_id: ApiId, invitation_id: ApiId) -> Status:
    """Withdraw a pending invitation (administrators of the organisation)."""
    org = _visible_org(request, org_id)
    if not selectors.members_of(actor=actor(request), organisation=org).exists():
        raise NotFound(_("Not found."))  # only the organisation's own members learn of it
    invitation = get_object_or_404(org.invitations.all(), pk=invitation_id)
    services.invitation_revoke(actor=actor(request), invitation=invitation)
    return Status(204, None)
