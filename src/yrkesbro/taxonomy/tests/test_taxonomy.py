from __future__ import annotations

import csv

import pytest
from django.test import Client

from yrkesbro.catalogue.reference import load_national_plans
from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.models import AuditEntry
from yrkesbro.taxonomy import services
from yrkesbro.taxonomy.models import CompetenceArea, TaxonomyVersion
from yrkesbro.taxonomy.reference import AREAS_FILE, load_competence_areas
from yrkesbro.testing import PASSWORD

# Every area the research names (issue 4), by the reference file's codes.
NAMED = {
    "rus-psykisk",
    "aldring",
    "demens",
    "utviklingshemming",
    "rehabilitering",
    "habilitering",
    "kreft",
    "nevrologi",
    "lindrende",
    "ernaering",
    "forebygging",
    "veiledning",
    "velferdsteknologi",
    "saerskilte-behov",
    "yngste-barn",
    "flerkulturell",
    "miljoarbeid",
    "tidlig-innsats",
    "spesialpedagogikk",
    "ikt-digital",
}


@pytest.fixture
def loaded(db):  # type: ignore[no-untyped-def]
    load_national_plans()
    load_competence_areas()


def test_shipped_codes_match_reference():
    # The research reference, shipped unchanged beside the taxonomy it seeded.
    reference = AREAS_FILE.parent / "reference" / "competence_areas.csv"
    with reference.open(encoding="utf-8") as fh:
        ref = {row["code"]: row for row in csv.DictReader(fh)}
    with AREAS_FILE.open(encoding="utf-8") as fh:
        ours = {row["code"]: row for row in csv.DictReader(fh)}
    assert ours.keys() == ref.keys()
    for code, row in ref.items():
        assert ours[code]["name_nb"] == row["name_nb"]
        assert ours[code]["national_plans"] == row["national_plans"]


def test_loader_covers_every_named_area_in_three_languages(loaded):  # type: ignore[no-untyped-def]
    areas = {a.code: a for a in CompetenceArea.objects.prefetch_related("national_plans")}
    assert areas.keys() >= NAMED
    for area in areas.values():
        assert area.name_nb and area.name_nn and area.name_en and area.synonyms
    assert not areas["flerkulturell"].national_plans.exists()
    assert not areas["ikt-digital"].national_plans.exists()
    assert set(areas["aldring"].national_plans.values_list("code", flat=True)) == {"HAAO", "DEMENS"}
    assert load_competence_areas() == 0  # idempotent


def test_only_platform_admins_change_it(world, loaded):  # type: ignore[no-untyped-def]
    area = CompetenceArea.objects.get(code="demens")
    for actor in (world.a.admin, world.a.editor, world.outsider):
        with pytest.raises(NotAllowed):
            services.area_update(actor=actor, area=area, data={"name_en": "X"})
        with pytest.raises(NotAllowed):
            services.area_create(
                actor=actor, data={"code": "ny", "field": "health", "name_nb": "N", "name_en": "N"}
            )
    assert TaxonomyVersion.current() == 0


def test_changes_are_versioned_and_audited(world, loaded):  # type: ignore[no-untyped-def]
    admin = world.platform_admin
    area = CompetenceArea.objects.get(code="nevrologi")
    services.area_update(actor=admin, area=area, data={"synonyms": "hjerneslag,  parkinson , ALS"})
    assert TaxonomyVersion.current() == 1
    services.area_set_plans(actor=admin, area=area, plan_codes=["REHAB"])
    assert TaxonomyVersion.current() == 2
    services.area_set_plans(actor=admin, area=area, plan_codes=["REHAB"])  # no change, no version
    assert TaxonomyVersion.current() == 2
    services.area_set_active(actor=admin, area=area, active=False)
    new = services.area_create(
        actor=admin,
        data={
            "code": "Tannhelse",
            "field": "health",
            "name_nb": "Tannhelse",
            "name_nn": "Tannhelse",
            "name_en": "Dental health",
        },
    )
    assert new.code == "tannhelse"
    assert TaxonomyVersion.current() == 4
    mapping = AuditEntry.objects.get(action="taxonomy.area_map")
    assert mapping.before["national_plans"] == [] and mapping.after["national_plans"] == ["REHAB"]
    assert mapping.after["taxonomy_version"] == 2
    update = AuditEntry.objects.get(action="taxonomy.area_update")
    assert update.after["synonyms"] == "hjerneslag, parkinson, ALS"
    assert AuditEntry.objects.filter(action="taxonomy.area_deactivate").count() == 1


def test_bad_input(world, loaded):  # type: ignore[no-untyped-def]
    admin = world.platform_admin
    area = CompetenceArea.objects.get(code="demens")
    with pytest.raises(DomainError):
        services.area_set_plans(actor=admin, area=area, plan_codes=["NOPE"])
    with pytest.raises(DomainError):
        services.area_create(
            actor=admin, data={"code": "demens", "field": "health", "name_nb": "D", "name_en": "D"}
        )
    with pytest.raises(DomainError):
        services.area_update(actor=admin, area=area, data={"code": "other"})
    with pytest.raises(DomainError):
        services.area_update(actor=admin, area=area, data={"name_nb": ""})
    assert TaxonomyVersion.current() == 0


def test_pages(world, loaded):  # type: ignore[no-untyped-def]
    anonymous = Client()
    body = anonymous.get("/taxonomy/").content.decode()
    assert "Demens" in body and "Nevrologiske lidelser" in body
    assert anonymous.get("/taxonomy/demens/edit/").status_code == 302
    client = Client()
    client.login(username=world.a.admin.username, password=PASSWORD)
    assert client.get("/taxonomy/demens/edit/").status_code == 404
    client.login(username=world.platform_admin.username, password=PASSWORD)
    assert client.get("/taxonomy/demens/edit/").status_code == 200
    response = client.post(
        "/taxonomy/demens/edit/",
        {
            "field": "health",
            "name_nb": "Demens",
            "name_nn": "Demens",
            "name_en": "Dementia care",
            "synonyms": "alzheimer",
            "national_plans": ["DEMENS", "HAAO"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    area = CompetenceArea.objects.get(code="demens")
    assert area.name_en == "Dementia care"
    assert set(area.national_plans.values_list("code", flat=True)) == {"DEMENS", "HAAO"}


def test_api(loaded):  # type: ignore[no-untyped-def]
    data = Client().get("/api/v1/competence-areas?limit=100").json()
    assert data["count"] == CompetenceArea.objects.count()
    item = next(i for i in data["items"] if i["code"] == "aldring")
    assert set(item["national_plans"]) == {"HAAO", "DEMENS"}
    assert item["name_nn"] and isinstance(item["synonyms"], list)
    assert Client().get("/api/v1/competence-areas/ikt-digital").json()["national_plans"] == []
