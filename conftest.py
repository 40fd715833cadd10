"""Fixtures shared by every test in the project."""

from __future__ import annotations

import os
import shutil

import pytest

from yrkesbro.testing import World, make_world

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return make_world()


@pytest.fixture
def register_loaded(db):  # type: ignore[no-untyped-def]
    """The shipped register of 15 counties and 357 municipalities, loaded."""
    from yrkesbro.organisations.reference import load_register

    return load_register()


def require_tool(path: str, reason: str) -> None:
    """Skip locally with a one-line reason when a tool is missing; fail in CI."""
    if shutil.which(path) is None and not os.path.exists(path):
        if IN_CI:
            pytest.fail(f"{reason} ({path} missing) – CI must not skip this")
        pytest.skip(f"{reason}: {path} not found")


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Service-level messages are asserted in English; requests still pick their own language."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: what one test's figures left there (school
    demand, open-data files) must not answer another's."""
    from django.core.cache import cache

    from yrkesbro.core import lru

    cache.clear()
    lru.clear_all()  # the rendered selects and result cards of this process too
    yield
