"""A programme's own competence areas (beyond or without a national plan): the form, the
API, the import and export, the programme page and the audit log; and the county filter
over HTTP keeps online offerings."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from yrkesbro.catalogue import importer, services
from yrkesbro.catalogue.models import Offering, Programme
from yrkesbro.core.errors import DomainError
from yrkesbro.core.models import AuditEntry
from yrkesbro.taxonomy.models import CompetenceArea
from yrkesbro.testing import PASSWORD


@pytest.fixture
def areas(schools):  # type: ignore[no-untyped-def]
    from yrkesbro.taxonomy.reference import load_competence_areas

    load_competence_areas()
    return schools


def _codes(programme: Programme) -> list[str]:
    return sorted(programme.competence_areas.values_list("code", flat=True))


def test_editor_names_own_areas_in_the_form_and_the_page_shows_them(client, areas):  # type: ignore[no-untyped-def]
    a = areas.a
    client.login(username=a.editor.username, password=PASSWORD)
    url = reverse("catalogue:programme_edit", args=[a.programme.pk])
    form = client.get(url).content.decode()
    assert 'name="competence_areas"' in form and "<fieldset" in form
    multi = CompetenceArea.objects.get(code="flerkulturell")
    data = {
        "title": a.programme.title,
        "code": a.programme.code,
        "field": "health",
        "credits": "60",
        "nkr_level": "5.1",
        "national_plan": a.programme.national_plan_id,
        "competence_areas": [multi.pk],
    }
    assert client.post(url, data).status_code == 302
    assert _codes(a.programme) == ["flerkulturell"]
    page = client.get(reverse("catalogue:programme", args=[a.programme.pk])).content.decode()
    assert "Flerspråklig og flerkulturell kompetanse" in page  # own area
    assert "Demens" in page  # through the national plan
    entry = AuditEntry.objects.filter(action="programme.update").latest("pk")
    assert entry.before["competence_areas"] == [] and entry.after["competence_areas"] == [
        "flerkulturell"
    ]
    # A forged id is a form error, not a 500; nothing changes.
    bad = client.post(url, {**data, "competence_areas": ["99999999999999999999"]})
    assert bad.status_code == 200 and b"ds-validation-message" in bad.content
    assert _codes(a.programme) == ["flerkulturell"]
    # Unticking all removes them.
    assert client.post(url, {**data, "competence_areas": []}).status_code == 302
    assert _codes(a.programme) == []


def test_service_refuses_unknown_and_too_many_areas(areas):  # type: ignore[no-untyped-def]
    programme = areas.a.programme
    with pytest.raises(DomainError) as exc:
        services.programme_update(
            actor=None, programme=programme, data={"competence_areas": ["ukjent"]}
        )
    assert exc.value.field == "competence_areas"
    every = list(CompetenceArea.objects.values_list("code", flat=True))
    assert len(every) > services.MAX_OWN_AREAS
    with pytest.raises(DomainError):
        services.programme_update(actor=None, programme=programme, data={"competence_areas": every})
    assert _codes(programme) == []


def test_api_reads_and_writes_own_areas(client, areas):  # type: ignore[no-untyped-def]
    a = areas.a
    assert client.login(username=a.editor.username, password=PASSWORD)
    payload = {
        "school_id": a.school.pk,
        "title": "Flerkulturell helse",
        "credits": 60,
        "field": "health",
        "code": "ALFA-FLERKULT",
        "competence_areas": ["flerkulturell", "veiledning"],
    }
    response = client.post(
        "/api/v1/programmes", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["national_plan"] is None
    assert body["competence_areas"] == ["flerkulturell", "veiledning"]
    pid = body["id"]
    patch = client.patch(
        f"/api/v1/programmes/{pid}",
        json.dumps({"competence_areas": ["flerkulturell"]}),
        content_type="application/json",
    )
    assert patch.status_code == 200 and patch.json()["competence_areas"] == ["flerkulturell"]
    # A PATCH without the field keeps them.
    patch = client.patch(
        f"/api/v1/programmes/{pid}", json.dumps({"credits": 30}), content_type="application/json"
    )
    assert patch.json()["competence_areas"] == ["flerkulturell"]
    unknown = client.patch(
        f"/api/v1/programmes/{pid}",
        json.dumps({"competence_areas": ["nope"]}),
        content_type="application/json",
    )
    assert unknown.status_code == 400, unknown.content
    assert unknown.json()["field"] == "competence_areas"
    too_long = client.patch(
        f"/api/v1/programmes/{pid}",
        json.dumps({"competence_areas": ["x" * 41]}),
        content_type="application/json",
    )
    assert too_long.status_code == 422
    listed = client.get("/api/v1/programmes", {"school": a.school.pk}).json()
    mine = next(i for i in listed["items"] if i["id"] == pid)
    assert mine["competence_areas"] == ["flerkulturell"]
    detail = client.get(f"/api/v1/programmes/{pid}").json()
    assert detail["competence_areas"] == ["flerkulturell"]


def test_import_sets_own_areas_and_export_writes_them(areas):  # type: ignore[no-untyped-def]
    header = ",".join(importer.PROGRAMME_COLUMNS) + ",field,competence_area_codes"
    rows = [
        header,
        "ALFA-NY,ALFA,,Flerkulturell helse,60,5.1,Om,,,,health,flerkulturell veiledning",
        "ALFA-NY2,ALFA,DEMENS,Demens,60,5.1,Om,,,,,",
    ]
    parsed = importer.parse("programmes", "\n".join(rows).encode(), "p.csv")
    assert not parsed.errors, [str(e) for e in parsed.errors]
    importer.apply(parsed, actor=None)
    new = Programme.objects.get(code="ALFA-NY")
    assert _codes(new) == ["flerkulturell", "veiledning"]
    assert _codes(Programme.objects.get(code="ALFA-NY2")) == []
    exported = importer.export_file("programmes", Programme.objects.filter(pk=new.pk), "csv")
    assert b"flerkulturell veiledning" in exported
    catalogue = importer.export_file("catalogue", Programme.objects.filter(pk=new.pk), "csv")
    assert catalogue.decode("utf-8-sig").splitlines()[0].endswith("competence_area_codes")
    assert b"flerkulturell veiledning" in catalogue
    # Updating through a file: a changed cell replaces them; a file without the column
    # leaves them alone.
    rows[1] = rows[1].replace("flerkulturell veiledning", "kreft;demens")
    importer.apply(importer.parse("programmes", "\n".join(rows).encode(), "p.csv"), actor=None)
    assert _codes(new) == ["demens", "kreft"]
    without = ",".join(importer.PROGRAMME_COLUMNS) + ",field\n"
    without += "ALFA-NY,ALFA,,Flerkulturell helse II,60,5.1,Om,,,,health\n"
    importer.apply(importer.parse("programmes", without.encode(), "p.csv"), actor=None)
    new.refresh_from_db()
    assert new.title == "Flerkulturell helse II" and _codes(new) == ["demens", "kreft"]
    # Unknown codes are a row error, and nothing is imported.
    rows[2] += "finnes-ikke"
    parsed = importer.parse("programmes", "\n".join(rows).encode(), "p.csv")
    assert [(e.row, e.column) for e in parsed.errors] == [(3, "competence_area_codes")]


def test_county_filter_over_http_keeps_online_offerings(client, areas):  # type: ignore[no-untyped-def]
    """Online offerings are open to people in every county (issue 15)."""
    from yrkesbro.testing import CountyFactory

    programme = areas.b.programme
    Offering.objects.create(
        programme=programme,
        delivery="online",
        pace="part-time",
        start_date="2027-08-16",
        semesters=4,
        funding="state-funded",
    )
    CountyFactory(number="56", name="Finnmark")
    page = client.get(reverse("catalogue:list"), {"county": "56"}).content.decode()
    assert programme.title in page
    api = client.get("/api/v1/programmes", {"county": "56"}).json()
    assert programme.pk in {i["id"] for i in api["items"]}
    assert areas.a.programme.pk not in {i["id"] for i in api["items"]}  # it has no offering
