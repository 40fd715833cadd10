"""The one export-cell sanitiser, as a property, and in every CSV and XLSX the platform writes."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yrkesbro.core.exports import FORMULA_STARTS, safe_cell, unguard

HOSTILE = [
    '=HYPERLINK("http://x")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "＝1",
    "＋1",
    "－1",
    "＠1",
    "'=1",
    "Omsorg\x0bfra Word",
]


def _dangerous(cell: object) -> bool:
    return isinstance(cell, str) and bool(cell) and cell[0] in FORMULA_STARTS


@given(st.text())
def test_no_sanitised_cell_starts_a_formula(text):
    cell = safe_cell(text)
    assert not _dangerous(cell)
    assert not any(ch in cell for ch in "\x00\x01\x0b\x0c\x1f")


@given(
    st.text(
        st.characters(
            blacklist_categories=("Cs",),
            blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff",
        )
    )
)
def test_unguard_inverts_the_guard(text):
    assert unguard(safe_cell(text)) == text


def test_numbers_and_dates_pass_unchanged():
    assert safe_cell(-5) == -5 and safe_cell(None) is None


def _csv_cells(body: bytes | str) -> list[str]:
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(body: bytes) -> list[object]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    return [v for row in book.worksheets[0].iter_rows(values_only=True) for v in row]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["catalogue", "programmes", "offerings"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_catalogue_exports_neutralise_every_hostile_text(schools, kind, fmt):
    from yrkesbro.catalogue import importer, services
    from yrkesbro.catalogue.models import Programme

    for i, text in enumerate(HOSTILE):
        programme = services.programme_create(
            actor=None,
            school=schools.a.school,
            data={
                "code": f"H{i}",
                "title": f"T{i}",
                "field": "health",
                "credits": 60,
                "description": "x",
                "admission_requirements": "x",
            },
        )
        # Written past the services, as if stored before the input checks existed.
        Programme.objects.filter(pk=programme.pk).update(
            title=text, description=text, admission_requirements=text
        )
        services.offering_create(
            actor=None,
            programme=Programme.objects.get(pk=programme.pk),
            data={
                "code": f"O{i}",
                "delivery": "online",
                "pace": "part-time",
                "start_date": "2030-01-01",
                "semesters": 2,
                "funding": "state-funded",
                "place": "Gjøvik",
            },
        )
        from yrkesbro.catalogue.models import Offering

        Offering.objects.filter(code=f"O{i}").update(place=text)
    body = importer.export_file(kind, Programme.objects.all(), fmt)
    cells = _xlsx_cells(body) if fmt == "xlsx" else _csv_cells(body)
    assert cells and not [c for c in cells if _dangerous(c)]
    assert not [c for c in cells if isinstance(c, str) and "\x0b" in c]


@pytest.mark.django_db
def test_regional_and_gap_csvs_neutralise_every_hostile_text(client, monkeypatch):
    from yrkesbro.matching import views as matching_views
    from yrkesbro.needs import regional

    rows = [{"area": text, "name": text} for text in HOSTILE]
    monkeypatch.setattr(regional, "_rows", lambda aggregate: rows)
    monkeypatch.setattr(matching_views, "_gap_rows", lambda gaps: rows)
    for url in ("/needs/regional/data.csv", "/matching/gaps/data.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        cells = _csv_cells(response.content)
        assert cells[2:] and not [c for c in cells if _dangerous(c)], url
