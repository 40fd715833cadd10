"""Language selection.

The web interface speaks bokmål unless the user picks another language with
the language switch (a cookie). Browsers' Accept-Language is not consulted
there: most Norwegian desktops announce English, and the service's language is
Norwegian. The API, used by programs that say what they want, honours
Accept-Language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        is_api = request.path.startswith("/api/")
        if language is None and is_api:
            language = _supported(translation.get_language_from_request(request))
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language", "Cookie") if is_api else ("Cookie",))
        return response
