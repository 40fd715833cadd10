"""The REST API under /api/v1/: one NinjaAPI, one router per app."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from yrkesbro import __version__
from yrkesbro.accounts.api import router as accounts_router
from yrkesbro.catalogue.api import router as catalogue_router
from yrkesbro.collaboration.api import router as collaboration_router
from yrkesbro.core.errors import DomainError
from yrkesbro.health.api import router as health_router
from yrkesbro.matching.api import router as matching_router
from yrkesbro.needs.api import router as needs_router
from yrkesbro.organisations.api import router as organisations_router
from yrkesbro.taxonomy.api import router as taxonomy_router
from yrkesbro.vet.api import router as vet_router
from yrkesbro.workforce.api import router as workforce_router

api = NinjaAPI(
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
api.add_router("/", matching_router)
api.add_router("/", health_router)
api.add_router("/", workforce_router)
api.add_router("/", vet_router)


def _error(
    request: HttpRequest, status: int, message: str, code: str, **extra: object
) -> HttpResponse:
    body = {"message": message, "code": code, **{k: v for k, v in extra.items() if v is not None}}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, str(exc.message), exc.code, field=exc.field)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"location": [str(part) for part in err.get("loc", ())], "detail": err.get("msg", "")}
        for err in exc.errors
    ]
    return _error(request, 422, _("Some of the input is not valid."), "validation", errors=errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Sign in, or send a valid API token."), "unauthenticated")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found."), "not_found")


@api.exception_handler(ObjectDoesNotExist)
def on_does_not_exist(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found."), "not_found")
