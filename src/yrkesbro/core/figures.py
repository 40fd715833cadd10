"""Figures that are the same for every reader, stored in the database under a version of
what they read, and computed by the worker when a large country makes them costly.

``read(key, version, build, live=..., ask_worker=...)`` answers the stored figures while
their version is current (and younger than ``MAX_AGE``, the bound on a change the version
cannot see). When they are out of date, ``live`` computes them on the request (a small
country: the answer is fresh); otherwise the last figures are answered with ``updating``
set, so the page can say so with their time, and ``ask_worker`` is called (it should
enqueue a task that calls ``refresh``, at most once while one waits). The first reading
ever computes them on the request. ``refresh`` (the worker) computes them unless current.

Unlike ``core.caching`` (per-process memory), a stored answer is shared by every process
and survives a restart; use it for figures that cost more than a page should pay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from yrkesbro.core.models import StoredFigures

MAX_AGE = dt.timedelta(hours=1)
KEEP = dt.timedelta(days=7)  # rows nobody has read or refreshed for this long are dropped


@dataclass
class Figures:
    data: Any
    computed_at: dt.datetime
    updating: bool = False  # out of date; the worker is computing new ones


def digest(version: Any) -> str:
    return hashlib.sha256(repr(version).encode()).hexdigest()


def _current(stored: StoredFigures | None, version: str) -> bool:
    return (
        stored is not None
        and stored.version == version
        and timezone.now() - stored.computed_at < MAX_AGE
    )


def _build(key: str, version: str, build: Callable[[], Any]) -> StoredFigures:
    stored, _created = StoredFigures.objects.update_or_create(
        key=key, defaults={"version": version, "data": build(), "computed_at": timezone.now()}
    )
    return stored


def read(
    key: str,
    version: Any,
    build: Callable[[], Any],
    *,
    live: bool,
    ask_worker: Callable[[], None],
) -> Figures:
    digested = digest(version)
    stored = StoredFigures.objects.filter(key=key).first()
    if stored is not None and not _current(stored, digested):
        if not live:
            ask_worker()
            return Figures(stored.data, stored.computed_at, updating=True)
        stored = None
    if stored is None:
        stored = _build(key, digested, build)
    return Figures(stored.data, stored.computed_at)


def refresh(key: str, version: Any, build: Callable[[], Any]) -> Figures:
    """Compute the figures unless they are current (safe to run twice)."""
    digested = digest(version)
    stored = StoredFigures.objects.filter(key=key).first()
    if stored is None or not _current(stored, digested):
        stored = _build(key, digested, build)
    return Figures(stored.data, stored.computed_at)


def prune(now: dt.datetime | None = None) -> int:
    """Drop figures not computed for ``KEEP`` (a school or a filter nobody looks at any
    more); the daily sweep runs it. A page that wants them again computes them."""
    cutoff = (now or timezone.now()) - KEEP
    deleted, _ = StoredFigures.objects.filter(computed_at__lt=cutoff).delete()
    return deleted
