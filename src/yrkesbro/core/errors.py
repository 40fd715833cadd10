"""The one error type services raise, with a message already translated for the user."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
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


def full_clean_or_refuse(obj: Any, exclude: list[str] | None = None) -> None:
    """Run the model's field validation and turn the first problem into a DomainError.

    Constraints are left to the caller (or the database), so its message can
    name the field in words that fit the case. The strict-input checks
    (``core.model_inputs``: one-line titles, clean text, sane dates) run first.
    """
    from yrkesbro.core.model_inputs import check_instance

    check_instance(obj, exclude=exclude or ())
    try:
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        raise DomainError(
            messages[0], field=None if field_name == "__all__" else field_name
        ) from exc
