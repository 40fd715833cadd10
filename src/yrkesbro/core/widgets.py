"""Pickers with hundreds of options, rendered once and then served from a bounded cache.

Django renders a select through one template per option; for the 357 municipalities that
was about 40 % of the catalogue search page's CPU. ``CachedSelect`` and
``CachedSelectMultiple`` render as Django does, then keep the HTML per (field name,
selected value, attributes, language, options) in a small per-process LRU
(``core.lru.BoundedCache``), so a change of the options (a new register) or of the
language simply makes a new entry.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from yrkesbro.core.lru import BoundedCache

MAX_ENTRIES = 256  # each entry is one rendered select (~20 kB for the municipalities)

_rendered: BoundedCache[str] = BoundedCache(MAX_ENTRIES)


def _freeze(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return str(value) if value is not None else None


class CachedRenderMixin:
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = tuple((str(v), str(label)) for v, label in self.choices)  # type: ignore[attr-defined]
        key = (
            type(self).__name__,
            name,
            _freeze(value),
            tuple(sorted((k, str(v)) for k, v in (attrs or {}).items())),
            tuple(sorted((k, str(v)) for k, v in self.attrs.items())),  # type: ignore[attr-defined]
            get_language(),
            choices,
        )
        html = _rendered.get(key)
        if html is not None:
            return mark_safe(html)  # Django rendered and escaped it below
        html = str(super().render(name, value, attrs, renderer))  # type: ignore[misc]
        _rendered.set(key, html)
        return mark_safe(html)  # Django's own escaped rendering


class CachedSelect(CachedRenderMixin, forms.Select):
    pass


class CachedSelectMultiple(CachedRenderMixin, forms.SelectMultiple):
    pass


def cache_size() -> int:
    return len(_rendered)
