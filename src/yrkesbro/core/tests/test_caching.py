"""``core.caching.versioned``: one build per version of the inputs, a new one when it changes."""

from __future__ import annotations

import warnings

from django.core.cache.backends.base import CacheKeyWarning

from yrkesbro.core.caching import versioned


def test_one_build_per_version() -> None:
    builds: list[str] = []

    def build(label: str):  # type: ignore[no-untyped-def]
        def run() -> str:
            builds.append(label)
            return label

        return run

    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)  # keys valid for every backend
        version = ("2026-12-01 04:33:50+00:00", [1, 2], "nb")
        assert versioned("t:x", version, build("a"), 60) == "a"
        assert versioned("t:x", version, build("b"), 60) == "a"  # served from the cache
        assert versioned("t:x", (*version[:2], "en"), build("c"), 60) == "c"
        assert versioned("t:y", version, build("d"), 60) == "d"  # prefixes apart
    assert builds == ["a", "c", "d"]
