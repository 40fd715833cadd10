"""Run the ``core.inputs`` checks over a model instance's own fields, before a service saves it.

Services of every app call ``check_instance(obj)`` next to their other rules, so a
title with a newline, a description with a NUL byte or a meeting in the year 9999
is refused the same way whether it came from a form, the API, an import or the
admin. Which check applies follows the field type:

- ``CharField`` (and its URL/e-mail/slug subclasses) without choices: one line;
- ``TextField``: multi-line text without other control characters;
- ``DateTimeField``: an aware date-time in the sane year range;
- ``DateField``: a date in the sane year range.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import models

from yrkesbro.core.inputs import check_date, check_datetime, check_single_line, check_text

SKIPPED = frozenset({"password"})


def check_instance(obj: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Raise ``DomainError`` (with the field's name) on the first value the checks refuse."""
    skip = SKIPPED | set(exclude)
    for field in obj._meta.concrete_fields:
        if field.name in skip or field.choices:
            continue
        value: Any = getattr(obj, field.attname, None)
        if value is None:
            continue
        if isinstance(field, models.TextField) and isinstance(value, str):
            check_text(value, field=field.name)
        elif isinstance(field, models.CharField) and isinstance(value, str):
            check_single_line(value, field=field.name)
        elif isinstance(field, models.DateTimeField) and isinstance(value, datetime):
            check_datetime(value, field=field.name)
        elif isinstance(field, models.DateField) and isinstance(value, date):
            check_date(value, field=field.name)
