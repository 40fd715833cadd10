"""Every write a web page makes can be made through the API (issue 13, item 3).

Pages and API endpoints are thin: they change data only through service functions
(``<app>/services``), and the services that write run in a transaction or record an
audit entry. So the test reads the source of every view in the URL conf and of every
API operation (following calls into the project's own helpers), collects the writing
services each one calls, and lists those a page calls but no API operation does,
with the model each writes. The list must be empty, apart from ``NOT_RESOURCES``.

A second check keeps the first honest: no view writes to the database around the
services (``Model.objects...update()``, ``obj.m2m.set()``, ``obj.save()``).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

#: Writes that pages make and the API deliberately does not, each with its reason.
NOT_RESOURCES: dict[str, str] = {
    "accounts.token_create": "API token secrets: a token must not mint tokens (C9)",
    "accounts.token_revoke": "API token secrets, managed in the browser session only",
    "accounts.invitation_accept": "signing in through an invitation link is the log-in flow",
    "accounts.user_register_from_invitation": "creating one's account from an invitation "
    "link is the log-in flow",
    "collaboration.calendar.feed_create": "a secret calendar URL, shown once, like a token",
    "collaboration.calendar.feed_revoke": "a secret calendar URL, like a token",
    "organisations.register_import": "the national register file, uploaded by a platform "
    "administrator (also `yrkesbro import-register`); reference data, not a resource",
    "vet.trades_import": "the trades register file, uploaded by a platform administrator; "
    "reference data, not a resource",
}

#: Resources that still lack an endpoint (issue 13 stays open for them). Each entry must
#: still be missing (the test fails once an endpoint exists, so the list only shrinks).
NOT_YET: dict[str, str] = {}

#: Django's own views (log-in, log-out, password reset, language) and allauth's.
FOREIGN = ("django.", "allauth.")
WRITE_CALLS = {"save", "delete", "update", "create", "bulk_create", "bulk_update",
               "update_or_create", "get_or_create"}  # fmt: skip
QUERYSET_CALLS = {"filter", "exclude", "all", "select_for_update", "select_related"}
RELATED_CALLS = {"set", "add", "remove", "clear"}


def _service_name(fn: Callable[..., Any]) -> str:
    module = fn.__module__.removeprefix("yrkesbro.").replace(".services", "")
    return f"{module}.{fn.__name__}"


def _is_service(obj: object) -> bool:
    return inspect.isfunction(obj) and ".services" in getattr(obj, "__module__", "")


def _is_ours(obj: object) -> bool:
    return inspect.isfunction(obj) and getattr(obj, "__module__", "").startswith("yrkesbro.")


def _writes(fn: Callable[..., Any]) -> bool:
    """A service writes if it runs in a transaction or records an audit entry."""
    source = inspect.getsource(inspect.unwrap(fn))
    return "transaction.atomic" in source or "audit.record" in source


def _tree(fn: Callable[..., Any]) -> ast.AST | None:
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError):
        return None


def _referenced(fn: Callable[..., Any]) -> Iterator[object]:
    """The module-level objects ``fn`` names: ``name`` and ``module.name``."""
    tree = _tree(fn)
    if tree is None:
        return
    scope = fn.__globals__
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            base = scope.get(node.value.id)
            if isinstance(base, types.ModuleType):
                yield getattr(base, node.attr, None)
        elif isinstance(node, ast.Name):
            yield scope.get(node.id)


def services_called(fn: Callable[..., Any], seen: set[Any] | None = None) -> set[Any]:
    """Writing services ``fn`` calls, directly or through the project's own helpers."""
    seen = set() if seen is None else seen
    fn = inspect.unwrap(fn)
    if fn in seen:
        return set()
    seen.add(fn)
    found = set()
    for obj in _referenced(fn):
        if _is_service(obj):
            if _writes(obj):  # type: ignore[arg-type]
                found.add(obj)
        elif _is_ours(obj) and ".selectors" not in obj.__module__:  # type: ignore[union-attr]
            found |= services_called(obj, seen)  # type: ignore[arg-type]
    return found


def _view_functions(callback: Any) -> list[Callable[..., Any]]:
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return [callback]
    return [
        member
        for name, member in inspect.getmembers(view_class, inspect.isfunction)
        if member.__module__.startswith("yrkesbro.")
    ]


def page_views() -> Iterator[tuple[str, Callable[..., Any]]]:
    """(route, view function) for every page of the URL conf but the API and the admin."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("api", "admin"):
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    for route, callback in walk(get_resolver().url_patterns, "/"):
        for fn in _view_functions(callback):
            if not inspect.unwrap(fn).__module__.startswith(FOREIGN):
                yield route, fn


def api_operations() -> Iterator[tuple[str, Callable[..., Any]]]:
    from yrkesbro.core.api_root import api

    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                yield f"{','.join(operation.methods)} {path}", operation.view_func


def model_written(fn: Callable[..., Any]) -> str:
    """The model a service writes: its return type, else the parameter named like it."""
    hints = typing.get_type_hints(inspect.unwrap(fn))
    candidates = [hints.get("return")]
    entity = fn.__name__.split("_")[0]
    candidates += [hint for name, hint in hints.items() if name != "return" and entity in name]
    for hint in candidates:
        if isinstance(hint, type) and issubclass(hint, models.Model):
            return hint.__name__
    return "?"


def missing_endpoints() -> dict[str, list[str]]:
    """``service`` → the pages that call it, for writes no API operation makes."""
    by_pages: dict[Any, set[str]] = {}
    for route, view in page_views():
        for service in services_called(view):
            by_pages.setdefault(service, set()).add(route)
    by_api = set()
    for _name, operation in api_operations():
        by_api |= services_called(operation)
    return {
        f"{model_written(service)} ({_service_name(service)})": sorted(routes)
        for service, routes in by_pages.items()
        if service not in by_api and _service_name(service) not in NOT_RESOURCES
    }


def test_every_model_a_page_writes_has_an_api_endpoint() -> None:
    missing = missing_endpoints()
    expected = {key for key in missing if key.split("(")[1].rstrip(")") in NOT_YET}
    unexpected = {key: routes for key, routes in missing.items() if key not in expected}
    assert not unexpected, "pages write these but the API cannot:\n" + "\n".join(
        f"  {key}: {', '.join(routes)}" for key, routes in sorted(unexpected.items())
    )
    assert len(expected) == len(NOT_YET), "NOT_YET lists a write the API now makes: remove it"


def test_the_scan_sees_the_services_of_pages_and_api() -> None:
    """Guards the scan itself: a known page and a known operation resolve to their service."""
    pages = {
        _service_name(s) for route, view in page_views() if "contacts" in route
        for s in services_called(view)
    }  # fmt: skip
    assert "collaboration.partnerships.contact_log" in pages
    api = {
        _service_name(s) for name, op in api_operations() if name == "POST /partnerships/{pk}/contacts"
        for s in services_called(op)
    }  # fmt: skip
    assert api == {"collaboration.partnerships.contact_log"}
    assert all(reason.strip() for reason in [*NOT_RESOURCES.values(), *NOT_YET.values()])


def _direct_writes(fn: Callable[..., Any]) -> list[str]:
    tree = _tree(inspect.unwrap(fn))
    found = []
    for node in ast.walk(tree) if tree else ():
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver, name = node.func.value, node.func.attr
        on_queryset = (isinstance(receiver, ast.Attribute) and receiver.attr == "objects") or (
            isinstance(receiver, ast.Call)
            and isinstance(receiver.func, ast.Attribute)
            and receiver.func.attr in QUERYSET_CALLS
        )
        on_relation = name in RELATED_CALLS and isinstance(receiver, ast.Attribute)
        on_object = name in ("save", "delete") and not node.args
        if (name in WRITE_CALLS and on_queryset) or on_relation or on_object:
            found.append(ast.unparse(node)[:80])
    return found


def test_pages_write_only_through_services() -> None:
    writes = {
        route: found for route, view in page_views() if (found := _direct_writes(view))
    }  # fmt: skip
    assert not writes, f"views that write around the services: {writes}"
