from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yrkesbro.accounts import services
from yrkesbro.accounts.models import ApiToken, User
from yrkesbro.core.errors import DomainError


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new token for USERNAME.")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        listing = sub.add_parser("list", help="List USERNAME's tokens.")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("username")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, action: str, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        try:
            if action == "create":
                # The operator at the console acts as the user.
                _token, key = services.token_create(actor=user, user=user, name=options["name"])
                self.stdout.write(key)
            elif action == "list":
                for token in ApiToken.objects.filter(user=user):
                    state = "revoked" if token.revoked_at else "active"
                    self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.name}\t{state}")
            else:
                token = ApiToken.objects.filter(user=user, pk=options["token_id"]).first()
                if token is None:
                    raise CommandError("No such token.")
                services.token_revoke(actor=user, token=token)
                self.stdout.write("Revoked.")
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
