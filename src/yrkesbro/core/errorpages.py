"""The 500 page in the reader's language, without the database or the base template.

Django's default handler renders ``500.html`` without a language; this one reads the
language the request already activated (LanguageMiddleware) and falls back to bokmål.
The texts live here, not in the catalogue, so a broken catalogue cannot break the page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseServerError
from django.utils.html import escape
from django.utils.translation import get_language

TEXTS = {
    "nb": (
        "Feil",
        "Noe gikk galt",
        "Det oppstod en feil hos oss. Prøv igjen om litt.",
        "Til forsiden",
    ),
    "nn": (
        "Feil",
        "Noko gjekk gale",
        "Det oppstod ein feil hos oss. Prøv igjen om litt.",
        "Til framsida",
    ),
    "en": (
        "Error",
        "Something went wrong",
        "Something went wrong on our side. Please try again shortly.",
        "Start page",
    ),
}


def server_error(request: HttpRequest) -> HttpResponseServerError:
    language = (get_language() or "nb").split("-")[0]
    if language not in TEXTS:
        language = "nb"
    title, heading, text, home = (escape(t) for t in TEXTS[language])
    body = (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} – Yrkesbro</title></head>\n<body>\n<main>\n<h1>{heading}</h1>\n"
        f'<p>{text}</p>\n<p><a href="/">{home}</a></p>\n</main>\n</body>\n</html>\n'
    )
    return HttpResponseServerError(body)
