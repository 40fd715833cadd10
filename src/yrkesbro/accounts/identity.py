"""Writes about signing in through an identity provider (ID-porten, Feide).

A person's provider account is linked to a Yrkesbro user only through an
invitation they opened: the invitation was e-mailed to them, so holding its
link proves the address. The invited address decides the user: an existing
account with that address is linked; otherwise a new account is made, with
no usable password.
"""

from __future__ import annotations

import re
import secrets

from django.db import transaction

from yrkesbro.accounts.models import Invitation, Membership, User
from yrkesbro.accounts.services import invitation_accept, invitation_by_token, invitation_check_open
from yrkesbro.core import audit
from yrkesbro.core.inputs import check_single_line


def _free_username(email: str) -> str:
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@", 1)[0].lower())[:100] or "bruker"
    candidate = base
    while User.objects.filter(username__iexact=candidate).exists():
        candidate = f"{base}-{secrets.token_hex(2)}"
    return candidate


@transaction.atomic
def user_link_identity_from_invitation(*, token: str, claims: dict) -> tuple[User, Invitation]:
    """The user an invitation stands for, joined to the invitation's organisation.

    ``claims`` are the provider's (already without identity numbers); only the
    display name is read from them, and only for a new account.
    """
    invitation = invitation_by_token(token)
    invitation_check_open(invitation)
    user = (
        User.objects.filter(email__iexact=invitation.email, is_active=True).order_by("pk").first()
    )
    if user is None:
        name = " ".join(str(claims.get("name") or "").split())[:200]
        if not name:
            name = " ".join(
                str(claims.get(k) or "") for k in ("given_name", "family_name")
            ).strip()[:200]
        try:
            check_single_line(name)
        except Exception:
            name = ""
        user = User(
            username=_free_username(invitation.email), email=invitation.email, full_name=name
        )
        user.set_unusable_password()
        user.save()
        audit.record(
            actor=user,
            action="user.register_identity",
            obj=user,
            organisation=invitation.organisation,
            after=audit.snapshot(user, ["username", "email", "full_name"]),
        )
    if not Membership.objects.filter(organisation=invitation.organisation, user=user).exists():
        invitation_accept(actor=user, token=token)
    return user, invitation
