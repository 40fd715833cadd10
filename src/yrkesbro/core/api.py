"""The API's shared parts: authentication, pagination and JSON errors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ybt_…`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from yrkesbro.accounts.services import token_authenticate

        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser session; its CSRF check only applies to a signed-in session.

    Without this, a request with no session and a wrong or missing token would
    fail the CSRF check (403) before it could be told to authenticate (401).
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class Anonymous:
    """Lets public endpoints run for visitors while still reading a token or session."""

    openapi_type = None

    def __call__(self, request: HttpRequest) -> Any:
        request.user = AnonymousUser()
        return request.user


SIGNED_IN = [TokenAuth(), SessionAuth()]
PUBLIC = [TokenAuth(), SessionAuth(), Anonymous()]


def patch_data(payload: Schema, model: type[models.Model], **kwargs: Any) -> dict[str, Any]:
    """The fields a PATCH body set, with explicit ``null`` made to fit the model.

    ``null`` on a column that may be NULL clears it; on a text the model keeps
    as ``""`` when empty (``blank=True``, never NULL) it empties it; on any
    other column, which can hold neither, it leaves the value unchanged.
    """
    data = payload.dict(exclude_unset=True, **kwargs)
    for name in [name for name, value in data.items() if value is None]:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # not a column: the endpoint reads it itself
        if getattr(field, "null", False):
            continue
        if isinstance(field, models.CharField | models.TextField) and field.blank:
            data[name] = ""
        else:
            del data[name]
    return data


def actor(request: HttpRequest) -> Any:
    return request.auth if request.auth is not None else request.user  # type: ignore[attr-defined]


class Mapped:
    """A query set whose rows become API items only for the page the paginator slices out.

    ``return [to_item(x) for x in qs]`` under ``@paginate`` builds an item for every row
    before the page is cut (an employer with 2,000 enrolments paid for all of them on each
    request); ``return Mapped(qs, to_item)`` counts in SQL and maps one page.
    ``prepare`` gets the page's rows once, for look-ups made for the page as a whole.
    """

    def __init__(self, queryset: Any, to_item: Any = None, prepare: Any = None) -> None:
        self.queryset = queryset
        self.to_item = to_item  # row -> item; None keeps the row
        self.prepare = prepare  # called once with the page's rows (batch look-ups)

    def all(self) -> Mapped:  # the paginator counts through ``.all().count()``
        return self

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        rows = list(self.queryset[index])
        if self.prepare is not None:
            self.prepare(rows)
        return [self.to_item(row) for row in rows] if self.to_item is not None else rows


class Pagination(LimitOffsetPagination):
    """``limit`` (1–100, default 25) and ``offset`` (0–1,000,000), answering {count, items}.

    The offset has an upper bound because databases overflow on absurd ones.
    """

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
