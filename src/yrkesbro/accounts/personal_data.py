"""Personal data held by accounts: the people themselves, memberships, invitations, tokens."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.personal_data import declare


def _erase_user(user: Any) -> int:
    """The account stays as an empty, inactive shell so that others' records pointing to
    it (meetings attended, signatures, audit entries) keep their shape without a name."""
    from yrkesbro.accounts.models import User

    user = User.objects.get(pk=user.pk)
    user.username = f"deleted-{user.pk}"
    user.full_name = ""
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.set_unusable_password()
    user.save()
    return 1


def _erase_invitations(user: Any) -> int:
    from yrkesbro.accounts.models import Invitation

    rows = Invitation.objects.filter(accepted_by=user)
    count = rows.count()
    rows.update(email="deleted@invalid.invalid", accepted_by=None)
    count += Invitation.objects.filter(invited_by=user).update(invited_by=None)
    return count


declare(
    "accounts.User",
    fields=["username", "full_name", "first_name", "last_name", "email"],
    purpose=_("Sign in, and show who does what in the organisations the person belongs to"),
    retention=_("As long as the account exists; anonymised on a deletion request"),
    person="",
    eraser=_erase_user,
)
declare(
    "accounts.Membership",
    fields=["user", "title"],
    purpose=_("The person's role and job title in an organisation"),
    retention=_("Until the person leaves the organisation; deleted on a deletion request"),
    person="user",
    erase="delete",
)
declare(
    "accounts.Invitation",
    fields=["email", "invited_by", "accepted_by"],
    purpose=_("Invite a person by e-mail to join an organisation"),
    retention=_("Deleted 90 days after the invitation expired"),
    person="accepted_by",
    eraser=_erase_invitations,
    retention_days=90,
    retention_field="expires_at",
)
declare(
    "accounts.ApiToken",
    fields=["user"],
    purpose=_("Personal API tokens"),
    retention=_("Until revoked; deleted on a deletion request"),
    person="user",
    erase="delete",
)

# Third-party tables that hold personal data (django-allauth for ID-porten/Feide log-in,
# django-axes for log-in throttling).
declare(
    "socialaccount.SocialAccount",
    fields=["user", "uid", "extra_data"],
    purpose=(
        _(
            "Link a person's ID-porten or Feide identity (the provider's pairwise id) to the "
            "account; the national identity number is never stored"
        )
    ),
    retention=_("As long as the account; deleted on a deletion request"),
    person="user",
    erase="delete",
)
declare(
    "account.EmailAddress",
    fields=["user", "email"],
    purpose=_("Required by the log-in library; Yrkesbro keeps the address on the account"),
    retention=_("As long as the account; deleted on a deletion request"),
    person="user",
    erase="delete",
)
declare(
    "account.EmailConfirmation",
    fields=["email_address"],
    purpose=_("Required by the log-in library; not used by Yrkesbro"),
    retention=_("Deleted with the address"),
    subject=_("user"),
    erase="keep",
)
for _model in ("axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"):
    declare(
        _model,
        fields=["username", "ip_address", "user_agent"],
        purpose=_("Throttle log-in attempts to stop password guessing"),
        retention=_("Deleted after 30 days"),
        subject=_("anyone who tries to log in"),
        erase="keep",
        retention_days=30,
        retention_field="attempt_time",
        retention_action="delete",
    )
