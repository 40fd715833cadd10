"""Clean failure when the database is away: 503 with Retry-After, never a 500.

The API answers ``{"message", "code", "field"}`` JSON; pages answer a
translated 503 page rendered without touching the database (no session, no
user). ``DatabaseUnavailableMiddleware`` catches errors raised by views
(including the API, which re-raises what it does not handle); ``server_error``
is the project's ``handler500`` and catches the same errors raised by
middleware (sessions, authentication).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER = 5  # seconds; a restart or failover usually takes about this long
UNAVAILABLE = (OperationalError, InterfaceError)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer for this request: JSON on the API, a page elsewhere."""
    response: HttpResponse
    if is_api(request):
        response = JsonResponse(
            {
                "message": _("The service is briefly unavailable. Try again in a few seconds."),
                "code": "unavailable",
                "field": None,
            },
            status=503,
        )
    else:
        # The user and messages are given, so neither the session nor the user is read
        # from the database; the CSRF token (a cookie) keeps the language switch working.
        html = render_to_string(
            "503.html", {"user": AnonymousUser(), "messages": []}, request=request
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UNAVAILABLE):
            logger.warning("database unavailable on %s: %s", request.path, exception)
            return unavailable(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage is a 503; anything else keeps the plain 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, UNAVAILABLE):
        return unavailable(request)
    if is_api(request):
        return JsonResponse(
            {
                "message": _("Something went wrong on our side."),
                "code": "server_error",
                "field": None,
            },
            status=500,
        )
    from yrkesbro.core.errorpages import server_error as error_page

    return error_page(request)
