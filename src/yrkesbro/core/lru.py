"""A small per-process cache of rendered pieces, bounded in entries and in age.

Rendered HTML that is the same for every reader (a select of 357 municipalities, a
catalogue card) is kept here rather than in Django's cache: the default local-memory
cache holds 300 entries in all and culls a third of them when full, so hundreds of small
fragments would push out the few large figures kept there. Each ``BoundedCache`` holds
at most ``max_entries`` (least recently used out first) and, with ``max_age``, treats an
entry older than that many seconds as absent: the bound on how long a change its key
cannot see (a renamed municipality, a write that bypasses the services) stays unseen.

Keys must show every input of the value (the object's last change, the language, ...);
a change then simply makes a new key, and the old entry ages out.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from threading import Lock
from typing import Generic, TypeVar
from weakref import WeakSet

V = TypeVar("V")

_instances: WeakSet[BoundedCache] = WeakSet()


def clear_all() -> None:
    """Empty every bounded cache of this process (tests start from nothing)."""
    for instance in list(_instances):
        instance.clear()


class BoundedCache(Generic[V]):
    def __init__(self, max_entries: int, max_age: float | None = None):
        self.max_entries = max_entries
        self.max_age = max_age
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = Lock()
        _instances.add(self)

    def _fresh(self, key: Hashable, now: float) -> V | None:
        found = self._items.get(key)
        if found is None:
            return None
        stored_at, value = found
        if self.max_age is not None and now - stored_at > self.max_age:
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            return self._fresh(key, time.monotonic())

    def get_many(self, keys: Iterable[Hashable]) -> dict[Hashable, V]:
        now = time.monotonic()
        found: dict[Hashable, V] = {}
        with self._lock:
            for key in keys:
                value = self._fresh(key, now)
                if value is not None:
                    found[key] = value
        return found

    def set(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
