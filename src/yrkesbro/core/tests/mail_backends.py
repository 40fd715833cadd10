"""E-mail backends for tests: one that behaves like an unreachable mail server."""

from __future__ import annotations

from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server unreachable")
