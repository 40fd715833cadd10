"""Memberships, invitations and tokens: the rules, the bad input, and the audit trail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from yrkesbro.accounts import services
from yrkesbro.accounts.models import ApiToken, Invitation, Membership
from yrkesbro.core.errors import DomainError, NotAllowed, NotFound
from yrkesbro.core.models import AuditEntry
from yrkesbro.core.policies import Role
from yrkesbro.testing import UserFactory

pytestmark = pytest.mark.django_db


def test_duplicate_membership_is_refused_and_changes_nothing(world):
    before = Membership.objects.count()
    with pytest.raises(DomainError, match="already a member"):
        services.membership_create(
            actor=world.a.admin, organisation=world.a.org, user=world.a.viewer, role=Role.EDITOR
        )
    assert Membership.objects.count() == before
    assert Membership.objects.get(user=world.a.viewer).role == Role.VIEWER


def test_messages_follow_the_active_language(world):
    with translation.override("nb"), pytest.raises(DomainError) as exc:
        services.membership_create(
            actor=world.a.admin, organisation=world.a.org, user=world.a.viewer, role=Role.VIEWER
        )
    assert "allerede medlem" in str(exc.value)


def test_acting_for_another_organisation_is_refused(world):
    newcomer = UserFactory()
    with pytest.raises(NotAllowed):
        services.membership_create(
            actor=world.b.admin, organisation=world.a.org, user=newcomer, role=Role.VIEWER
        )
    with pytest.raises(NotAllowed):
        services.invitation_create(
            actor=world.b.admin, organisation=world.a.org, email="x@example.test", role="viewer"
        )
    assert not Membership.objects.filter(user=newcomer).exists()
    assert not Invitation.objects.exists()


def test_role_change_is_audited_with_before_and_after(world):
    membership = Membership.objects.get(user=world.a.viewer)
    services.membership_change_role(actor=world.a.admin, membership=membership, role=Role.EDITOR)
    entry = AuditEntry.objects.get(action="membership.change_role")
    assert entry.actor == world.a.admin
    assert entry.organisation == world.a.org
    assert (entry.before["role"], entry.after["role"]) == ("viewer", "editor")
    assert entry.changes() == [("role", "viewer", "editor")]


def test_an_invalid_role_is_refused(world):
    membership = Membership.objects.get(user=world.a.viewer)
    with pytest.raises(DomainError, match="valid role"):
        services.membership_change_role(actor=world.a.admin, membership=membership, role="owner")


def test_the_last_admin_can_neither_leave_nor_be_demoted(world):
    admin = Membership.objects.get(user=world.a.admin)
    with pytest.raises(DomainError, match="at least one administrator"):
        services.membership_change_role(actor=world.a.admin, membership=admin, role=Role.VIEWER)
    with pytest.raises(DomainError, match="at least one administrator"):
        services.membership_remove(actor=world.a.admin, membership=admin)
    assert Membership.objects.get(pk=admin.pk).role == Role.ADMIN


def test_members_may_leave_but_not_remove_others(world):
    viewer = Membership.objects.get(user=world.a.viewer)
    editor = Membership.objects.get(user=world.a.editor)
    with pytest.raises(NotAllowed):
        services.membership_remove(actor=world.a.viewer, membership=editor)
    services.membership_remove(actor=world.a.viewer, membership=viewer)
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    assert AuditEntry.objects.filter(action="membership.remove", before__role="viewer").exists()


def test_invitation_round_trip_sends_mail_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            actor=world.a.admin, organisation=world.a.org, email=" New@Example.test ", role="editor"
        )
    assert invitation.email == "new@example.test"
    assert invitation.token_hash != token  # only the hash is stored
    assert len(mail.outbox) == 1
    assert token in mail.outbox[0].body
    assert mail.outbox[0].to == ["new@example.test"]
    user = UserFactory(email="new@example.test")
    membership = services.invitation_accept(actor=user, token=token)
    assert (membership.organisation, membership.role) == (world.a.org, "editor")
    with pytest.raises(DomainError, match="already been used"):
        services.invitation_accept(actor=UserFactory(), token=token)


def test_expired_and_withdrawn_invitations_change_nothing(world):
    invitation, token = services.invitation_create(
        actor=world.a.admin, organisation=world.a.org, email="late@example.test", role="viewer"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    user = UserFactory()
    with pytest.raises(DomainError, match="expired"):
        services.invitation_accept(actor=user, token=token)
    with pytest.raises(DomainError, match="expired"):
        services.user_register_from_invitation(
            token=token, username="late", full_name="Late Person", password="a-long-pass-phrase"
        )
    assert not Membership.objects.filter(user=user).exists()
    invitation2, token2 = services.invitation_create(
        actor=world.a.admin, organisation=world.a.org, email="late@example.test", role="viewer"
    )
    services.invitation_revoke(actor=world.a.admin, invitation=invitation2)
    with pytest.raises(DomainError, match="withdrawn"):
        services.invitation_accept(actor=user, token=token2)
    with pytest.raises(NotFound):
        services.invitation_accept(actor=user, token="not-a-real-token")


def test_duplicate_invitations_and_inviting_members_are_refused(world):
    services.invitation_create(
        actor=world.a.admin, organisation=world.a.org, email="twice@example.test", role="viewer"
    )
    with pytest.raises(DomainError, match="pending invitation"):
        services.invitation_create(
            actor=world.a.admin, organisation=world.a.org, email="TWICE@example.test", role="viewer"
        )
    with pytest.raises(DomainError, match="already a member"):
        services.invitation_create(
            actor=world.a.admin, organisation=world.a.org, email=world.a.viewer.email, role="viewer"
        )
    assert Invitation.objects.count() == 1


def test_register_from_invitation_checks_username_and_password(world):
    _inv, token = services.invitation_create(
        actor=world.a.admin, organisation=world.a.org, email="fresh@example.test", role="viewer"
    )
    with pytest.raises(DomainError) as weak:
        services.user_register_from_invitation(
            token=token, username="fresh", full_name="Fresh", password="123"
        )
    assert weak.value.field == "password1"
    with pytest.raises(DomainError, match="taken"):
        services.user_register_from_invitation(
            token=token,
            username=world.a.viewer.username.upper(),
            full_name="X",
            password="a-long-pass-phrase",
        )
    user, membership = services.user_register_from_invitation(
        token=token, username="fresh", full_name="Fresh Person", password="a-long-pass-phrase"
    )
    assert user.email == "fresh@example.test" and user.check_password("a-long-pass-phrase")
    assert membership.organisation == world.a.org


def test_tokens_are_hashed_authenticate_and_revoke(world):
    token, key = services.token_create(actor=world.a.viewer, user=world.a.viewer, name="script")
    assert key.startswith("ybt_") and key not in token.key_hash and token.prefix == key[:8]
    assert services.token_authenticate(key) == world.a.viewer
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert services.token_authenticate(key + "x") is None
    assert services.token_authenticate("Bearer " + key) is None
    with pytest.raises(NotFound):
        services.token_revoke(actor=world.a.admin, token=token)
    services.token_revoke(actor=world.a.viewer, token=token)
    assert services.token_authenticate(key) is None
    with pytest.raises(DomainError, match="already revoked"):
        services.token_revoke(actor=world.a.viewer, token=token)


def test_tokens_of_inactive_users_do_not_work(world):
    _token, key = services.token_create(actor=world.a.viewer, user=world.a.viewer, name="s")
    world.a.viewer.is_active = False
    world.a.viewer.save()
    assert services.token_authenticate(key) is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_token_names_are_checked(world, name):
    with pytest.raises(DomainError):
        services.token_create(actor=world.a.viewer, user=world.a.viewer, name=name)
    assert not ApiToken.objects.exists()


def test_nobody_creates_tokens_for_someone_else(world):
    with pytest.raises(NotAllowed):
        services.token_create(actor=world.a.admin, user=world.a.viewer, name="sneaky")
