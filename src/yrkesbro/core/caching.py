"""Figures that are the same for every reader, built once per version of their inputs.

``versioned(prefix, version, build, timeout)`` returns ``build()`` from the cache while
``version`` is unchanged. The version is whatever shows a change of the inputs (row
counts, last changes, the reader's language, the filters); it is hashed into the key, so
the key is short and valid for every cache backend. A change gives a new key; the old
entry simply ages out, and ``timeout`` bounds how long a change the version cannot see
(time passing, a write that bypasses the services) stays unseen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

T = TypeVar("T")


def versioned(prefix: str, version: Any, build: Callable[[], T], timeout: int) -> T:
    digest = hashlib.sha256(repr(version).encode()).hexdigest()[:32]
    key = f"{prefix}:{digest}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, timeout)
    return found  # type: ignore[no-any-return]
