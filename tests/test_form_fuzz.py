"""A form fuzzer: every form page in the URL conf gets random hostile values, 0 server errors.

With the demo data loaded and signed in as the platform administrator (who may
use every form), the fuzzer walks the site from the pages of the URL conf that
take no arguments, following links to pages with ids, and collects every
``<form method="post">`` with its fields. Each form is then posted with values
hypothesis draws: huge and negative ids, control characters, dates far outside
any sane range, wrong types, very long text, and the form's own valid options.
The answer may be a redirect, a page with a message (200/400/404/410/422) or a
refusal, never a 5xx. Examples per form are few and the crawl is bounded, so the
whole run stays within a minute or two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

MAX_PAGES = 160
EXAMPLES_PER_FORM = 6
# Leaving these would end the session or the test's point; the admin is Django's own.
SKIP_PREFIXES = ("/logout/", "/admin/", "/api/", "/static/", "/i18n/")

HOSTILE = [
    "99999999999999999999999",
    str(2**63),
    "-1",
    "0",
    "1e309",
    "abc",
    "[]",
    "{}",
    "",
    " ",
    "Linje\nNy linje",
    "Bcc: x@example.test\r\nSubject: hei",
    "null\x00byte",
    "\x1b[31mrød",
    "\u2028",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31T23:59:59-05:00",
    "<script>alert(1)</script>",
    "x" * 5000,
    "٣",
    "²",
]


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> valid options/values
    hidden: dict[str, str] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Links and POST forms of one page (names, options and hidden values)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(action=urljoin(self.url, a.get("action") or self.url))
            self.forms.append(self._form)
        elif self._form is not None and a.get("name") and a["name"] != "csrfmiddlewaretoken":
            name = a["name"]
            if tag == "input" and a.get("type") == "hidden":
                self._form.hidden[name] = a.get("value", "")
            elif tag == "input" and a.get("type") == "file":
                return
            elif tag in ("input", "textarea"):
                self._form.fields.setdefault(name, []).append(a.get("value", "x"))
            elif tag == "select":
                self._select = name
                self._form.fields.setdefault(name, [])
            elif tag == "button" and a.get("value"):
                self._form.fields.setdefault(name, []).append(a["value"])
        if tag == "option" and self._form is not None and self._select:
            self._form.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def url_conf_pages() -> list[str]:
    """Every page of the URL conf that takes no arguments, as a path."""
    paths: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and "<" not in route and "(" not in route:
                path = "/" + (prefix + route).lstrip("^").rstrip("$")
                paths.append(path.replace("//", "/"))

    walk(get_resolver().url_patterns, "")
    return sorted({p for p in paths if not p.startswith(SKIP_PREFIXES)})


def route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def crawl(client) -> dict[str, Form]:  # type: ignore[no-untyped-def]
    """One form per (route, form action route, field names): the site's forms, deduplicated."""
    queue = url_conf_pages()
    seen: set[str] = set(queue)
    visited_routes: dict[str | None, int] = {}
    forms: dict[str, Form] = {}
    pages = 0
    while queue and pages < MAX_PAGES:
        path = queue.pop(0)
        name = route_name(path)
        # At most two pages per route: enough to find its forms, bounded in time.
        if visited_routes.get(name, 0) >= 2:
            continue
        visited_routes[name] = visited_routes.get(name, 0) + 1
        response = client.get(path)
        pages += 1
        assert response.status_code < 500, f"GET {path} answered {response.status_code}"
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser("http://testserver" + path)
        parser.feed(response.content.decode())
        for link in parser.links:
            parts = urlsplit(link)
            if parts.netloc not in ("testserver", "") or parts.path.startswith(SKIP_PREFIXES):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and not re.search(r"\.(pdf|ics|csv|xlsx|svg)$", parts.path):
                seen.add(target)
                queue.append(target)
        for form in parser.forms:
            action = urlsplit(form.action).path
            key = f"{route_name(action)}|{','.join(sorted(form.fields))}"
            if not action.startswith(SKIP_PREFIXES) and key not in forms:
                forms[key] = Form(action=action, fields=form.fields, hidden=form.hidden)
    return forms


def values_for(options: list[str]) -> st.SearchStrategy[str]:
    mine = [o for o in options if o is not None]
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(mine or ["x"]),
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
        st.text(max_size=40),
    )


def test_every_form_survives_hostile_input(client):
    from yrkesbro.accounts.models import User
    from yrkesbro.core.demo import load_demo

    load_demo()
    admin = User.objects.get(username="demo-admin")
    client.force_login(admin)
    client.raise_request_exception = False  # a server error is a 500 answer to collect
    forms = crawl(client)
    routes = {key.split("|")[0] for key in forms}
    # The walk must actually reach the site's forms, or this test proves nothing.
    assert len(routes) >= 25, sorted(routes)
    print(f"fuzzing {len(forms)} forms on {len(routes)} routes")
    failures: list[str] = []
    for form in forms.values():
        fuzz_form(client, admin, form, failures)
    assert not failures, "\n".join(failures[:20])


def fuzz_form(client, admin, form: Form, failures: list[str]) -> None:  # type: ignore[no-untyped-def]
    strategy = st.fixed_dictionaries(
        {name: values_for(options) for name, options in form.fields.items()}
    )

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=strategy)
    def post(data: dict[str, str]) -> None:
        client.force_login(admin)
        response = client.post(form.action, {**form.hidden, **data})
        if response.status_code >= 500:
            failures.append(f"POST {form.action} {data!r:.300} -> {response.status_code}")

    post()
