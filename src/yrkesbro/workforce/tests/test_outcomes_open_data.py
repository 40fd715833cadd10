"""The per-programme "what it led to" figures as open data: page, CSV, JSON and the
DCAT-AP-NO catalogue; programmes under the threshold are never published."""

from __future__ import annotations

import csv
import io

from django.test import Client
from django.utils import timezone

from yrkesbro.core.opendata import datasets
from yrkesbro.workforce.models import ProgrammeOutcome
from yrkesbro.workforce.tests.conftest import Wf


def _figures(wf: Wf) -> None:
    now = timezone.now()
    wf.s.dementia.title = "=HYPERLINK(demens)"  # a title a spreadsheet would run
    wf.s.dementia.save(update_fields=["title"])
    ProgrammeOutcome.objects.create(
        programme=wf.s.dementia, enrolments=10, ended=8, completions=6, new_tasks=3,
        new_job_group=2, refreshed_at=now,
    )  # fmt: skip
    ProgrammeOutcome.objects.create(
        programme=wf.s.cancer, enrolments=5, ended=4, completions=4, new_tasks=4,
        new_job_group=4, refreshed_at=now,
    )  # fmt: skip


def test_page_csv_and_json_publish_only_programmes_over_the_threshold(wf: Wf) -> None:
    _figures(wf)
    client = Client()
    page = client.get("/workforce/outcomes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert wf.s.dementia.get_absolute_url() in html
    assert wf.s.cancer.get_absolute_url() not in html
    rows = list(
        csv.DictReader(io.StringIO(client.get("/workforce/outcomes/data.csv").content.decode()))
    )
    assert len(rows) == 1
    assert rows[0]["programme_title"] == "'=HYPERLINK(demens)"  # formula guard
    assert rows[0]["completions"] == "6" and rows[0]["completion_rate"] == "0.75"
    body = client.get("/workforce/outcomes/data.json").json()
    assert body["threshold"] == 5
    assert [p["programme_id"] for p in body["programmes"]] == [wf.s.dementia.pk]
    assert body["programmes"][0]["share_new_tasks"] == 0.5


def test_empty_state_and_catalogue_entry(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    page = client.get("/workforce/outcomes/")  # bokmål unless the user chose otherwise
    assert "Ingen utdanning har nok registrerte fullføringer ennå." in page.content.decode()
    dataset = next(d for d in datasets() if d.key == "programme-outcomes")
    assert client.get(dataset.landing_path()).status_code == 200
    for distribution in dataset.distributions:
        response = client.get(distribution.path())
        assert response.status_code == 200
        assert response["Content-Type"].startswith(distribution.media_type)
    catalogue = client.get("/open-data/catalog.ttl").content.decode()
    assert "/workforce/outcomes/data.csv" in catalogue


def test_the_files_follow_every_change_of_their_data(wf: Wf) -> None:
    """The files are kept between downloads; a refresh of the figures, an edited programme
    title or school name, and a programme crossing the threshold each give a new file."""
    _figures(wf)
    client = Client()

    def titles() -> list[str]:
        body = client.get("/workforce/outcomes/data.csv").content.decode()
        return [r["programme_title"] for r in csv.DictReader(io.StringIO(body))]

    def schools() -> list[str]:
        return [
            p["school"] for p in client.get("/workforce/outcomes/data.json").json()["programmes"]
        ]

    assert titles() == ["'=HYPERLINK(demens)"]
    assert titles() == ["'=HYPERLINK(demens)"]  # served again
    wf.s.dementia.title = "Demensomsorg"
    wf.s.dementia.save(update_fields=["title", "updated_at"])
    assert titles() == ["Demensomsorg"]
    school = wf.s.dementia.school
    school.name = "Nytt skolenavn"
    school.save()
    assert schools() == ["Nytt skolenavn"]
    ProgrammeOutcome.objects.filter(programme=wf.s.cancer).update(
        completions=5, refreshed_at=timezone.now()
    )
    assert sorted(titles()) == sorted(["Demensomsorg", wf.s.cancer.title])
