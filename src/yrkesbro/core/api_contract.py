"""The API's contract: one error shape, documented on every operation, kept by the server.

Every error the API answers is ``{"message", "code", "field"}`` (422s add
``errors``, one entry per refused input), translated by ``Accept-Language``.
``YrkesbroAPI`` keeps that promise where django-ninja would answer otherwise
(malformed JSON, a body that is no object, 405 from the URL layer, CSRF and
token failures) and writes it into the OpenAPI document: each operation lists
the error statuses it can answer, operations open to visitors say so (an empty
security requirement), and two schemas with the same name are reported rather
than silently merged.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "description": "Every error the API answers. `message` is in the caller's language.",
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string", "description": "Stable, e.g. not_found, validation"},
        "field": {"type": ["string", "null"], "description": "The input the error is about"},
        "errors": {
            "type": "array",
            "description": "422 only: each refused input",
            "items": {
                "type": "object",
                "properties": {
                    "location": {"type": "array", "items": {"type": "string"}},
                    "detail": {"type": "string"},
                },
                "required": ["location", "detail"],
            },
        },
    },
    "required": ["message", "code", "field"],
}

ERROR_DESCRIPTIONS = {
    400: "Bad request (malformed JSON, or a rule of the platform said no)",
    401: "Not signed in, or the API token is missing, wrong or expired",
    403: "Signed in, but not allowed to do this",
    404: "Not found, or not visible to the caller",
    405: "Method not allowed on this path",
    409: "Conflicts with the current state of the data",
    422: "Some input is not valid; see errors",
    429: "Too many requests",
    503: "The service is unavailable for a moment; try again",
}


class BodyNotObject(ValueError):
    """The JSON body is valid JSON, but not an object."""


class StrictParser(Parser):
    """A JSON body must be an object: ``[]``, ``"x"``, ``5`` or ``null`` are no empty patch.

    Control characters are refused by the field types (``core.api_types``), not
    here, so properties a schema does not declare are ignored as documented.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # ninja turns any exception here into HttpError(400) with this one as its cause.
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise BodyNotObject()
        return data


def is_public(operation: Operation) -> bool:
    """True if visitors may call the operation (its auth ends with ``Anonymous``)."""
    from yrkesbro.core.api import Anonymous

    return any(isinstance(auth, Anonymous) for auth in operation.auth_callbacks or ())


class ContractSchema(OpenAPISchema):
    """django-ninja's OpenAPI document plus the error responses and public operations."""

    def __init__(self, api: NinjaAPI, path_prefix: str) -> None:
        self.conflicts: list[str] = []
        super().__init__(api, path_prefix)
        self["components"]["schemas"]["Error"] = ERROR_SCHEMA

    def operation_details(self, operation: Operation) -> dict[str, Any]:
        result = super().operation_details(operation)
        public = is_public(operation)
        statuses = [400, 404, 405, 422, 429, 503]
        if not public:
            statuses += [401, 403]
        if WRITE_METHODS & set(operation.methods):
            statuses += [403, 409]
        for status in sorted(set(statuses)):
            result["responses"].setdefault(
                status,
                {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            )
        if public and result.get("security"):
            result["security"].append({})  # an empty requirement: no authentication needed
        return result

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                self.conflicts.append(name)
        super().add_schema_definitions(definitions)


def _json_not_allowed(view: Any) -> Any:
    """Wrap a ninja path view so a wrong method answers 405 in the error shape."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(
                request,
                405,
                _("This method is not allowed here. Allowed: %(methods)s.") % {"methods": allowed},
                "method_not_allowed",
            )
            response["Allow"] = allowed
        return response

    return wrapper


_API: NinjaAPI | None = None


def error_response(
    request: HttpRequest,
    status: int,
    message: str,
    code: str,
    *,
    field: str | None = None,
    **extra: Any,
) -> HttpResponse:
    """The one error answer: ``{"message", "code", "field", ...}`` with ``status``."""
    assert _API is not None
    body = {"message": message, "code": code, "field": field}
    body.update({k: v for k, v in extra.items() if v is not None})
    return _API.create_response(request, body, status=status)


class YrkesbroAPI(NinjaAPI):
    """NinjaAPI with the strict parser, the documented error contract and JSON 405s."""

    def __init__(self, **kwargs: Any) -> None:
        global _API
        kwargs.setdefault("parser", StrictParser())
        super().__init__(**kwargs)
        _API = self

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ContractSchema(self, path_prefix)

    def _get_urls(self) -> list[Any]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern) and getattr(pattern.callback, "csrf_exempt", False):
                pattern.callback = _json_not_allowed(pattern.callback)
        return urls
