"""Choice labels looked up once per field and language say exactly what Django's say."""

from __future__ import annotations

from functools import partialmethod

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from yrkesbro.core import choices
from yrkesbro.matching.models import Request
from yrkesbro.needs.models import Need

UNKNOWN = ["not-a-choice", 987654321, "", None]


def _choice_fields() -> list[tuple[type[models.Model], models.Field]]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.abstract or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            method = model.__dict__.get(f"get_{field.name}_display")
            if isinstance(method, partialmethod) and method.func is choices._display:
                found.append((model, field))
    return found


def test_every_fixed_choice_field_has_the_cached_lookup() -> None:
    fields = _choice_fields()
    assert len(fields) > 40  # kinds, statuses, urgencies … across the apps
    names = {(m._meta.label, f.name) for m, f in fields}
    assert ("needs.Need", "urgency") in names
    assert ("organisations.Organisation", "kind") in names


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_labels_equal_djangos_for_every_value_of_every_field(language: str) -> None:
    compared = 0
    with translation.override(language):
        for model, field in _choice_fields():
            obj = model()
            values = [value for value, _label in field.flatchoices] + UNKNOWN
            for value in values:
                setattr(obj, field.attname, value)
                ours = getattr(obj, f"get_{field.name}_display")()
                theirs = models.Model._get_FIELD_display(obj, field)
                assert ours == theirs, (model, field.name, value)
                assert type(ours) is type(theirs), (model, field.name, value)
                compared += 1
    assert compared > 200


def test_a_label_follows_the_active_language() -> None:
    need = Need(urgency="high")
    with translation.override("en"):
        english = need.get_urgency_display()
    with translation.override("nb"):
        bokmal = need.get_urgency_display()
    assert english == "High"
    assert bokmal == "Høy"


def test_a_method_the_model_writes_itself_is_kept() -> None:
    method = Request.__dict__["get_offer_delivery_display"]
    assert not isinstance(method, partialmethod)
    assert choices.install([Request, Need]) == 0  # installed once at start-up already
