"""The personal-data registry: the rule finds person fields, every real model with one is
declared, a new undeclared model or field is caught, and the record of processing in
docs/personal-data.md is the registry's."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from yrkesbro.core import personal_data
from yrkesbro.core.management.commands.personal_data_doc import render

ROOT = Path(__file__).resolve().parents[4]


def test_every_installed_model_with_a_person_field_is_declared() -> None:
    assert personal_data.undeclared() == {}


def test_every_declared_field_exists_and_the_erasure_is_known() -> None:
    assert len(personal_data.REGISTRY) >= 25
    for declaration in personal_data.REGISTRY.values():
        model = declaration.model_class
        for name in declaration.fields:
            model._meta.get_field(name)  # raises FieldDoesNotExist on a typo
        assert declaration.erase in ("anonymise", "delete", "keep")
        assert str(declaration.purpose) and str(declaration.retention)


def test_known_personal_models_are_in_the_registry() -> None:
    for label in (
        "accounts.user",
        "accounts.membership",
        "collaboration.representative",
        "collaboration.liaison",
        "collaboration.meeting",
        "collaboration.contactentry",
        "collaboration.notification",
        "matching.matchnotification",
        "core.auditentry",
        "workforce.employee",
        "workforce.enrolment",
        "workforce.outcome",
    ):
        assert label in personal_data.REGISTRY, label


@isolate_apps("yrkesbro.core")
def test_an_undeclared_model_with_a_person_field_fails() -> None:
    class Pupil(models.Model):  # noqa: DJ008 - a test model, never shown
        first_name = models.CharField(max_length=100)
        guardian_phone = models.CharField(max_length=20)
        school = models.CharField(max_length=100)

        class Meta:
            app_label = "core"

    class Note(models.Model):  # noqa: DJ008 - a test model, never shown
        author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        text = models.TextField()

        class Meta:
            app_label = "core"

    class Room(models.Model):  # noqa: DJ008 - a test model, never shown
        name = models.CharField(max_length=100)  # a thing's name is no person's

        class Meta:
            app_label = "core"

    missing = personal_data.undeclared([Pupil, Note, Room])
    assert missing == {"core.pupil": ["first_name", "guardian_phone"], "core.note": ["author"]}


@isolate_apps("yrkesbro.core")
def test_a_new_person_field_on_a_declared_model_fails_until_declared() -> None:
    class Visitor(models.Model):  # noqa: DJ008 - a test model, never shown
        full_name = models.CharField(max_length=100)
        email = models.EmailField()

        class Meta:
            app_label = "core"

    saved = dict(personal_data.REGISTRY)
    try:
        personal_data.declare("core.Visitor", fields=["full_name"], purpose="p", retention="r")
        assert personal_data.undeclared([Visitor]) == {"core.visitor": ["email"]}
        personal_data.declare(
            "core.Visitor", fields=["full_name", "email"], purpose="p", retention="r"
        )
        assert personal_data.undeclared([Visitor]) == {}
    finally:
        personal_data.REGISTRY.clear()
        personal_data.REGISTRY.update(saved)


def test_the_record_of_processing_is_generated_from_the_registry() -> None:
    committed = (ROOT / "docs" / "personal-data.md").read_text(encoding="utf-8")
    assert committed == render(), (
        "run `yrkesbro personal_data_doc` and commit docs/personal-data.md"
    )


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("full_name", True),
        ("email", True),
        ("contact_email", True),
        ("actor_name", True),
        ("approved_by_name", True),
        ("salary_step_nok", True),
        ("name", False),
        ("search_name", False),
        ("title", False),
    ],
)
def test_the_rule_for_field_names(name: str, personal: bool) -> None:
    assert bool(personal_data.PERSON_FIELD_PATTERN.search(name)) is personal
