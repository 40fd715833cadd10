"""The REST API under /api/v1/: one NinjaAPI, one router per app."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from yrkesbro import __version__
from yrkesbro.accounts.api import router as accounts_router
from yrkesbro.catalogue.api import router as catalogue_router
from yrkesbro.collaboration.api import router as collaboration_router
from yrkesbro.collaboration.api_people import router as collaboration_people_router
from yrkesbro.core import api_messages
from yrkesbro.core.api_contract import (
    BodyNotObject,
    YrkesbroAPI,
    error_response,
)
from yrkesbro.core.errors import DomainError
from yrkesbro.health.api import router as health_router
from yrkesbro.matching.api import router as matching_router
from yrkesbro.needs.api import router as needs_router
from yrkesbro.organisations.api import router as organisations_router
from yrkesbro.taxonomy.api import router as taxonomy_router
from yrkesbro.vet.api import router as vet_router
from yrkesbro.workforce.api import router as workforce_router

api = YrkesbroAPI(
    title="Yrkesbro API",
    version=__version__,
    description=(
        'Open API for Yrkesbro. Lists answer `{"count": N, "items": [...]}` and take '
        "`limit` (1–100) and `offset`. Authenticate with a browser session or a personal "
        "token (`Authorization: Bearer ybt_…`, created under *API tokens* in the web "
        "interface or with `yrkesbro token create USERNAME`). Error messages follow "
        "`Accept-Language` (nb, nn, en)."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", organisations_router)
api.add_router("/", accounts_router)
api.add_router("/", catalogue_router)
api.add_router("/", taxonomy_router)
api.add_router("/", needs_router)
api.add_router("/", collaboration_router)
api.add_router("/", collaboration_people_router)
api.add_router("/", matching_router)
api.add_router("/", health_router)
api.add_router("/", workforce_router)
api.add_router("/", vet_router)


def _error(
    request: HttpRequest, status: int, message: str, code: str, **extra: object
) -> HttpResponse:
    return error_response(request, status, message, code, **extra)  # type: ignore[arg-type]


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, str(exc.message), exc.code, field=exc.field)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "location": [str(part) for part in err.get("loc", ())],
            "detail": api_messages.translate(err),
        }
        for err in exc.errors
    ]
    # The field of the first refused input, without its source and the body's name.
    location = [part for part in errors[0]["location"] if part not in _SOURCES] if errors else []
    field = ".".join(location) or None
    return _error(
        request, 422, _("Some of the input is not valid."), "validation", field=field, errors=errors
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, _("Sign in, or send a valid API token."), "unauthenticated")
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found."), "not_found")


@api.exception_handler(ObjectDoesNotExist)
def on_does_not_exist(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found."), "not_found")


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    """A uniqueness or other constraint lost a race with another write: nothing was changed."""
    return _error(
        request,
        409,
        _("This conflicts with data that already exists. Nothing was changed."),
        "conflict",
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own errors (body parsing, CSRF, throttling) in the one error shape."""
    cause = exc.__cause__
    if isinstance(cause, BodyNotObject):
        return _error(request, 422, _("The request body must be a JSON object."), "body_not_object")
    status = exc.status_code
    if status == 400:
        return _error(request, 400, _("The request body is not valid JSON."), "malformed_json")
    if status == 403:
        return _error(
            request,
            403,
            _("The security check (CSRF) failed. Reload the page, or use an API token."),
            "csrf",
        )
    if status == 429:
        return _error(
            request, 429, _("Too many requests. Wait a little and try again."), "throttled"
        )
    return _error(request, status, _("The request could not be handled."), "http_error")


_SOURCES = {"body", "query", "path", "header", "cookie", "form", "payload", "filters"}
