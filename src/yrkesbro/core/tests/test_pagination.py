"""The page navigation is named by what the including template passes it, never by a
``label`` or a name another list on the same page set in the context."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

PAGE = """{% load i18n %}{% translate "The needs" as label %}
{% include "core/partials/export_links.html" with csv_url="/x.csv" xlsx_url="/x.xlsx" %}
{% include "core/partials/pagination.html" with page=first param="first_page" pages_label=_("Pages of requests") %}
{% include "core/partials/pagination.html" with page=second %}"""


def test_each_navigation_has_its_own_name() -> None:
    pages = Paginator(list(range(60)), 25)
    context = {"first": pages.get_page(1), "second": pages.get_page(2)}
    request = RequestFactory().get("/", {"first_page": "1"})
    with translation.override("en"):
        html = engines["django"].from_string(PAGE).render(context, request)
    names = re.findall(r'<nav class="yb-pagination" aria-label="([^"]*)"', html)
    assert names == ["Pages of requests", "Pages"]  # not "The needs" (the export links' label)
    assert 'href="?first_page=2"' in html
    assert 'href="?first_page=1&amp;page=3"' in html  # the other list keeps the first's number
