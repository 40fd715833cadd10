"""One display layer for stored values: dates in the reader's language, choices by label.

``{% load display %}`` then ``{{ value|ybdate }}`` / ``{{ value|ybdatetime }}`` (local time),
``{{ obj|choice:"field" }}`` for a choice field's label.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def ybdate(value: dt.date | dt.datetime | None) -> str:
    """A date as this language writes it (nb/nn 16.08.2027, en 16 Aug 2027); empty for None."""
    if not value:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "DATE_FORMAT")


@register.filter
def ybdatetime(value: dt.datetime | None) -> str:
    """A moment in local time as this language writes it (16.08.2027 14:30, 16 Aug 2027, 14:30)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "DATETIME_FORMAT")
    return date_format(value, "DATE_FORMAT")


@register.filter
def choice(obj: Any, field: str) -> str:
    """The label of a model's choice field (``get_FOO_display``), never the stored code."""
    getter = getattr(obj, f"get_{field}_display", None)
    return str(getter()) if getter else str(getattr(obj, field, ""))


@register.filter
def usercontent(value: Any) -> str:
    """Text people wrote, marked as Norwegian on pages in another language (WCAG 3.1.2).

    Content is Norwegian unless its author said otherwise; bokmål and nynorsk pages need no
    mark. Escapes the value; keeps line breaks as ``<br>``.
    """
    from django.utils.html import escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    text = str(value if value is not None else "")
    if (get_language() or "nb")[:2] in ("nb", "nn", "no"):
        return mark_safe(escape(text).replace("\n", "<br>"))
    return mark_safe(f'<span lang="no">{escape(text).replace(chr(10), "<br>")}</span>')
