"""Writes about people: memberships, invitations and API tokens."""

from __future__ import annotations

import hashlib
from typing import cast

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from yrkesbro.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    User,
    hash_secret,
    invitation_lifetime,
)
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed, NotFound
from yrkesbro.core.inputs import check_single_line
from yrkesbro.core.outbox import queue_email
from yrkesbro.core.policies import Actor, Capability, Role, has_capability
from yrkesbro.organisations.models import Organisation


def _require_manage(actor: Actor, organisation: Organisation) -> None:
    if not has_capability(actor, Capability.MANAGE_MEMBERS, organisation):
        raise NotAllowed(_("Only the organisation's administrators can manage its members."))


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise DomainError(_("Choose a valid role."), field="role")


def _is_last_admin(membership: Membership) -> bool:
    return (
        membership.role == Role.ADMIN
        and not Membership.objects.filter(organisation=membership.organisation, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_create(
    *, actor: Actor | None, organisation: Organisation, user: User, role: str, title: str = ""
) -> Membership:
    """Add an existing user to an organisation. ``actor`` None is the system (demo, commands)."""
    if actor is not None:
        _require_manage(actor, organisation)
    _check_role(role)
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise DomainError(
            _("%(user)s is already a member of %(org)s.") % {"user": user, "org": organisation},
            field="user",
        )
    membership = Membership.objects.create(
        organisation=organisation, user=user, role=role, title=title
    )
    audit.record(
        actor=actor,
        action="membership.create",
        obj=membership,
        organisation=organisation,
        after=audit.snapshot(membership),
    )
    return membership


@transaction.atomic
def membership_change_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    _require_manage(actor, membership.organisation)
    _check_role(role)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role == membership.role:
        return membership
    if role != Role.ADMIN and _is_last_admin(membership):
        raise DomainError(_("An organisation needs at least one administrator."), field="role")
    before = audit.snapshot(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        actor=actor,
        action="membership.change_role",
        obj=membership,
        organisation=membership.organisation,
        before=before,
        after=audit.snapshot(membership),
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> None:
    """Admins remove members; anyone may leave, except the last administrator."""
    if membership.user_id != getattr(actor, "pk", None):
        _require_manage(actor, membership.organisation)
    if _is_last_admin(membership):
        raise DomainError(_("An organisation needs at least one administrator."))
    before = audit.snapshot(membership)
    audit.record(
        actor=actor,
        action="membership.remove",
        obj=membership,
        organisation=membership.organisation,
        before=before,
    )
    membership.delete()


def _send_invitation(invitation: Invitation, token: str) -> None:
    link = settings.SITE_URL + reverse("accounts:invitation", args=[token])
    context = {"invitation": invitation, "link": link}
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("Invitation to %(org)s on Yrkesbro") % {"org": invitation.organisation})
        body = render_to_string("accounts/email/invitation.txt", context)
    # Stored in the caller's transaction and sent by the worker (the outbox).
    queue_email(
        to=invitation.email,
        subject=subject,
        body=body,
        key=f"invitation:{invitation.pk}:{hashlib.sha256(token.encode()).hexdigest()[:16]}",
    )


@transaction.atomic
def invitation_create(
    *, actor: Actor, organisation: Organisation, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite someone by e-mail. Returns the invitation and the secret for its link.

    The e-mail is sent after the transaction commits, so a failed write sends nothing.
    """
    _require_manage(actor, organisation)
    _check_role(role)
    email = check_single_line(email.strip().lower(), field="email")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise DomainError(_("Someone with this e-mail address is already a member."), field="email")
    if Invitation.objects.pending().filter(organisation=organisation, email=email).exists():
        raise DomainError(
            _("This address already has a pending invitation. Revoke it to send a new one."),
            field="email",
        )
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_secret(token),
        invited_by=cast(User, actor),
        expires_at=timezone.now() + invitation_lifetime(),
    )
    audit.record(
        actor=actor,
        action="invitation.create",
        obj=invitation,
        organisation=organisation,
        after=audit.snapshot(invitation),
    )
    _send_invitation(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    _require_manage(actor, invitation.organisation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise DomainError(_("This invitation is no longer pending."))
    before = audit.snapshot(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="invitation.revoke",
        obj=invitation,
        organisation=invitation.organisation,
        before=before,
        after=audit.snapshot(invitation),
    )
    return invitation


def invitation_by_token(token: str) -> Invitation:
    """The invitation behind a link, whatever its state; 404 for unknown links."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."))
    return invitation


def invitation_check_open(invitation: Invitation) -> None:
    if invitation.revoked_at:
        raise DomainError(_("This invitation has been withdrawn. Ask for a new one."))
    if invitation.accepted_at:
        raise DomainError(_("This invitation has already been used."))
    if invitation.is_expired:
        raise DomainError(
            _("This invitation expired on %(date)s. Ask the organisation for a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y")}
        )


@transaction.atomic
def invitation_accept(*, actor: Actor, token: str) -> Membership:
    invitation = invitation_by_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check_open(invitation)
    if not actor.is_authenticated:
        raise NotAllowed(_("Sign in or create an account to accept the invitation."))
    if Membership.objects.filter(organisation=invitation.organisation, user=actor).exists():
        raise DomainError(
            _("You are already a member of %(org)s.") % {"org": invitation.organisation}
        )
    before = audit.snapshot(invitation)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor  # type: ignore[assignment]
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        actor=actor,
        action="invitation.accept",
        obj=invitation,
        organisation=invitation.organisation,
        before=before,
        after=audit.snapshot(invitation),
    )
    return membership_create(
        actor=None,
        organisation=invitation.organisation,
        user=actor,
        role=invitation.role,  # type: ignore[arg-type]
    )


@transaction.atomic
def user_register_from_invitation(
    *, token: str, username: str, full_name: str, password: str
) -> tuple[User, Membership]:
    """Create an account for the invited address and accept the invitation in one step."""
    invitation = invitation_by_token(token)
    invitation_check_open(invitation)
    check_single_line(username, field="username")
    check_single_line(full_name, field="full_name")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is taken."), field="username")
    user = User(username=username, full_name=full_name, email=invitation.email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password1") from exc
    user.set_password(password)
    user.save()
    audit.record(
        actor=user,
        action="user.register",
        obj=user,
        organisation=invitation.organisation,
        after=audit.snapshot(user, ["username", "email", "full_name"]),
    )
    return user, invitation_accept(actor=user, token=token)


@transaction.atomic
def token_create(*, actor: Actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and never stored."""
    if not actor.is_authenticated or (actor.pk != user.pk and not actor.is_superuser):
        raise NotAllowed(_("You can only create tokens for yourself."))
    name = check_single_line(name.strip(), field="name")
    if not name or len(name) > 100:
        raise DomainError(_("Give the token a name of 1–100 characters."), field="name")
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:8], key_hash=hash_secret(key))
    audit.record(actor=actor, action="token.create", obj=token, after=audit.snapshot(token))
    return token, key


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if token.user_id != getattr(actor, "pk", None):
        raise NotFound(_("No such token."))
    if token.revoked_at:
        raise DomainError(_("This token is already revoked."))
    before = audit.snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor, action="token.revoke", obj=token, before=before, after=audit.snapshot(token)
    )
    return token


def token_authenticate(key: str) -> User | None:
    """The active user behind a presented token, or None. Records when it was last used."""
    if not key.startswith("ybt_") or len(key) > 100:
        return None
    token = (
        ApiToken.objects.active().select_related("user").filter(key_hash=hash_secret(key)).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Write at most once a minute per token, not on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
