"""The one error type services raise, with a message already translated for the user."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule said no. Nothing was changed.

    ``message`` is a (lazy) translated string; ``field`` names the input it is
    about, so forms can show it beside that field.
    """

    status = 400

    def __init__(self, message: str | Promise, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(DomainError):
    """The actor may see the object but not do this to it."""

    status = 403

    def __init__(self, message: str | Promise, *, field: str | None = None):
        super().__init__(message, field=field, code="forbidden")


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it does."""

    status = 404

    def __init__(self, message: str | Promise):
        super().__init__(message, code="not_found")
