"""The open-data catalogue: a page for people, DCAT-AP-NO (Turtle, JSON-LD) for data portals."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yrkesbro.core import opendata


def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/open_data.html",
        {"datasets": opendata.datasets(), "NLOD": opendata.NLOD},
    )


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def catalog_turtle(request: HttpRequest) -> HttpResponse:
    body = opendata.to_turtle(opendata.catalog())
    return _cors(HttpResponse(body, content_type="text/turtle; charset=utf-8"))


def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    body = opendata.to_jsonld(opendata.catalog())
    return _cors(HttpResponse(body, content_type="application/ld+json; charset=utf-8"))
