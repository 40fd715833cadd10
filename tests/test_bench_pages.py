"""The page benchmark covers every page of the URL conf and every API list, and each page it
measures answers 200 for the user it is measured as."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

BENCH = Path(__file__).resolve().parent.parent / "bench" / "pages.py"


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_pages", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while it loads
    spec.loader.exec_module(module)
    return module


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Every named pattern of the URL conf, except the admin's and the API's own."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if ns in ("admin", "api"):
                continue
            names |= url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def api_lists() -> set[str]:
    """GET operations of the API that are not one object by id (lists, and /me)."""
    from yrkesbro.core.api_root import api

    paths = set()
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            if any("GET" in op.methods for op in view.operations) and not path.endswith("}"):
                paths.add(path)
    return paths


def test_every_page_of_the_url_conf_is_benched_or_excluded_with_a_reason() -> None:
    pages = bench()
    benched = {page.route for page in pages.PAGES if not page.is_api}
    excluded = set(pages.EXCLUDED)
    assert not benched & excluded, "a page is both benched and excluded"
    assert benched | excluded == url_names(), (
        f"not benched: {sorted(url_names() - benched - excluded)}; "
        f"benched but not in the URL conf: {sorted((benched | excluded) - url_names())}"
    )
    assert all(reason.strip() for reason in pages.EXCLUDED.values())
    # Only POST-only views, one-time tokens, PDFs and files stay out (plus the identity
    # provider's pages); every page of one object is measured on an object of the world.
    identity = {n for n in excluded if "oidc" in n or n.startswith(("account_", "social"))}
    assert len(excluded - identity) <= 40, "keep the exclusion list short"


def test_every_api_list_is_benched() -> None:
    pages = bench()
    benched = {page.route for page in pages.PAGES if page.is_api}
    assert benched == api_lists()


def test_every_user_kind_is_used_and_every_page_names_known_users() -> None:
    pages = bench()
    used = {user for page in pages.PAGES for user in page.users}
    assert used == set(pages.USERS)


@pytest.mark.django_db
def test_every_benched_page_answers_200_in_a_small_world(settings) -> None:
    """One request per (page, user) in a world seeded at a small factor: a page that
    fails, or a chosen object the user may not see, shows here before a long run."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    pages = bench()
    pages.prepare(0.02)
    world, users = pages.choose_world()
    rows = pages.measure(pages.PAGES, world, users, repeat=1)
    failed = [(row.page, row.user, row.url, row.status) for row in rows if row.status != 200]
    assert not failed
    assert {row.user for row in rows} == set(pages.USERS)
    assert all(row.queries >= 0 and row.cpu_ms >= 0 for row in rows)
