"""Editing the competence taxonomy through the API: platform administrators only, each
change a new taxonomy version, as on the edit page."""

from __future__ import annotations

from django.test import Client

from yrkesbro.catalogue.reference import load_national_plans
from yrkesbro.taxonomy.models import CompetenceArea, TaxonomyVersion
from yrkesbro.testing import World


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_platform_admin_creates_and_edits_an_area(world: World) -> None:
    load_national_plans()
    body = {
        "code": "velferdsteknologi-api",
        "field": "health",
        "name_nb": "Velferdsteknologi",
        "name_en": "Welfare technology",
        "national_plans": [],
    }
    refused = _client(world.a.admin).post(
        "/api/v1/competence-areas", body, content_type="application/json"
    )
    assert refused.status_code == 403
    assert not CompetenceArea.objects.filter(code="velferdsteknologi-api").exists()
    admin = _client(world.platform_admin)
    created = admin.post("/api/v1/competence-areas", body, content_type="application/json")
    assert created.status_code == 201, created.content
    before = TaxonomyVersion.objects.count()
    unknown = admin.patch(
        "/api/v1/competence-areas/velferdsteknologi-api",
        {"national_plans": ["no-such-plan"]},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and unknown.json()["field"] == "national_plans"
    changed = admin.patch(
        "/api/v1/competence-areas/velferdsteknologi-api",
        {"name_nn": "Velferdsteknologi", "is_active": False},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["is_active"] is False and changed.json()["name_nn"] == "Velferdsteknologi"
    assert TaxonomyVersion.objects.count() == before + 2  # the names, then deactivation
    missing = admin.patch(
        "/api/v1/competence-areas/finnes-ikke", {}, content_type="application/json"
    )
    assert missing.status_code == 404
