"""Choice labels (``obj.get_<field>_display()``) without Django's cost per call.

Django's generated ``get_<field>_display`` builds the field's whole choices mapping on every
call, hashing and so translating every lazy label: about 30 µs, paid once per row and
column in every list that shows a kind or a status (25 rows, two such columns: 1.5 ms of a
15 ms page). ``install()`` replaces the generated method of every model field with fixed
choices by one that builds the mapping once per field and language and then looks the
value up. The result is the same string (or the value itself when it is not a choice),
which ``core/tests/test_choices.py`` compares with Django's for every field and language.

A method a model writes itself is left alone, and so are callable choices (which may
change between calls).
"""

from __future__ import annotations

from functools import partialmethod
from typing import Any

from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.translation import get_language

# (field, language) -> {value: label}. Bounded: the models' choice fields times the languages.
_LABELS: dict[tuple[int, str], dict[Any, str]] = {}
# Django's generated method, which the stubs do not declare.
_DJANGO_DISPLAY = models.Model._get_FIELD_display  # type: ignore[attr-defined]


def labels(field: models.Field, choices: Any = None) -> dict[Any, str]:
    """The field's choices as ``{value: label}`` in the active language, built once.

    ``choices`` names them when the field itself has none (see ``exports.label``)."""
    key = (id(field), get_language() or "")
    found = _LABELS.get(key)
    if found is None:
        pairs = field.flatchoices if choices is None else choices
        found = {value: str(text) for value, text in pairs}
        _LABELS[key] = found
    return found


def _display(self: models.Model, field: models.Field) -> Any:
    value = getattr(self, field.attname)
    try:
        label = labels(field).get(value)
    except TypeError:  # an unhashable value (a list); Django's own copes with it
        return _DJANGO_DISPLAY(self, field)
    return force_str(value, strings_only=True) if label is None else label


def _is_generated(method: Any, field: models.Field) -> bool:
    return (
        isinstance(method, partialmethod)
        and method.func is _DJANGO_DISPLAY
        and method.keywords == {"field": field}
    )


def install(model_classes: Any) -> int:
    """Give every generated ``get_<field>_display`` of these models the cached lookup.
    Returns how many methods were replaced."""
    replaced = 0
    for model in model_classes:
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) is None or isinstance(
                field.choices, CallableChoiceIterator
            ):
                continue
            name = f"get_{field.name}_display"
            if _is_generated(model.__dict__.get(name), field):
                setattr(model, name, partialmethod(_display, field=field))
                replaced += 1
    return replaced
