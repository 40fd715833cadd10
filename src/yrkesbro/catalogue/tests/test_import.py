from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yrkesbro.catalogue import importer
from yrkesbro.catalogue.models import Offering, Programme
from yrkesbro.core.errors import DomainError

DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = ",".join(importer.PROGRAMME_COLUMNS)


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def row(code="ALFA-X", school="ALFA", plan="DEMENS", credits="60", level="5.1", title="Demens"):
    return f"{code},{school},{plan},{title},{credits},{level},Beskrivelse,k,s,g"


def test_demo_loads_reference_catalogue(catalogue_loaded):
    assert catalogue_loaded == 75
    assert Offering.objects.count() == 99
    assert Programme.objects.filter(is_demo=True).count() == 75
    from yrkesbro.catalogue import demo

    demo.load()  # idempotent
    assert Programme.objects.count() == 75 and Offering.objects.count() == 99


def test_good_file_imports_and_updates(schools):
    parsed = importer.parse("programmes", _csv(row(), row(code="ALFA-Y", title="Rus")))
    assert parsed.errors == []
    report = importer.apply(parsed, actor=None)
    assert (report.created, report.updated) == (2, 0)
    parsed = importer.parse("programmes", _csv(row(title="Demens og alderspsykiatri")))
    assert importer.apply(parsed, actor=None).updated == 1
    assert Programme.objects.get(code="ALFA-X").title == "Demens og alderspsykiatri"


def test_every_row_error_is_listed_and_nothing_imported(schools):
    data = _csv(
        row(),
        row(code="ALFA-X"),  # duplicate code
        row(code="ALFA-2", credits="150"),
        row(code="ALFA-3", credits="tjue"),
        row(code="ALFA-4", school="NOPE"),
        row(code="ALFA-5", plan="NOPE"),
        row(code="ALFA-6", credits="30", level="5.2"),
        row(code="", title=""),
    )
    parsed = importer.parse("programmes", data)
    found = {(e.row, e.column) for e in parsed.errors}
    assert found >= {
        (3, "programme_id"),
        (4, "credits"),
        (5, "credits"),
        (6, "school_code"),
        (7, "national_plan_code"),
        (8, "nkr_level"),
        (9, "programme_id"),
        (9, "title"),
    }
    assert all(str(e).startswith("Row") for e in parsed.errors)
    with pytest.raises(DomainError):
        importer.apply(parsed, actor=None)
    assert Programme.objects.filter(code__startswith="ALFA-").count() == 1  # the fixture's


def test_wrong_columns_and_bad_encoding(schools):
    parsed = importer.parse("programmes", _csv("a,b", header="code,name"))
    assert parsed.errors[0].row == 1 and "Missing columns" in parsed.errors[0].message
    # Windows-1252 (Excel's "CSV (semikolondelt)" in Norway) is read, and said so.
    latin = _csv(row(title="Omsorg for små")).decode().encode("cp1252")
    parsed = importer.parse("programmes", latin)
    assert not parsed.errors and "Windows-1252" in parsed.read_as
    assert parsed.rows[0][1]["title"] == "Omsorg for små"
    # Bytes that are neither UTF-8 nor Windows-1252 (0x81 is undefined) name their row.
    parsed = importer.parse("programmes", _csv(row()) + b"\x81\n")
    assert parsed.errors[0].row == 3 and "Windows-1252" in parsed.errors[0].message
    assert importer.parse("programmes", b"").errors
    assert importer.parse("programmes", b"PK\x03\x04garbage", "x.xlsx").errors


def test_offerings_end_before_start_and_unknown_programme(schools):
    header = ",".join([*importer.OFFERING_COLUMNS, "end_date"])
    data = _csv(
        "O1,ALFA-DEMENS,,,online,part-time,2027-08-16,4,20,state-funded,0,2027-01-01",
        "O2,NOPE,,,online,part-time,2027-08-16,4,20,state-funded,0,",
        "O3,ALFA-DEMENS,,,campus,part-time,2027-08-16,4,20,state-funded,0,",
        "O4,ALFA-DEMENS,,,online,sometimes,16.08.2027,4,20,free,0,",
        header=header,
    )
    parsed = importer.parse("offerings", data)
    found = {(e.row, e.column) for e in parsed.errors}
    assert found >= {
        (2, "end_date"),
        (3, "programme_id"),
        (4, "municipality_number"),
        (5, "pace"),
        (5, "start_date"),
        (5, "funding"),
    }
    assert Offering.objects.count() == 0


def test_xlsx_round_trip(catalogue_loaded, tmp_path):
    xlsx = importer.export_xlsx(Programme.objects.all())
    from openpyxl import Workbook, load_workbook

    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.max_row == 1 + 99
    # a programmes workbook in the import columns
    book = Workbook()
    ws = book.active
    ws.append(list(importer.PROGRAMME_COLUMNS))
    ws.append(["FINN-NY", "FINN", "", "Ny utdanning", 30, "5.1", "Om", "", "", ""])
    ws.append(["FINN-NY2", "FINN", "VEIL", "Veiledning", 30, 5.1, "Om", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    parsed = importer.parse("programmes", out.getvalue(), "ny.xlsx")
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "field")]


def test_csv_export_neutralises_formulas(schools):
    from yrkesbro.catalogue import services

    services.programme_update(
        actor=None, programme=schools.a.programme, data={"title": "=HYPERLINK(1)"}
    )
    body = importer.export_csv(Programme.objects.all()).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_command_dry_run_and_errors(schools, tmp_path):
    good = tmp_path / "p.csv"
    good.write_bytes(_csv(row(code="ALFA-Z")))
    out = io.StringIO()
    call_command("import", "programmes", str(good), "--dry-run", stdout=out)
    assert "dry run" in out.getvalue()
    assert not Programme.objects.filter(code="ALFA-Z").exists()
    call_command("import", "programmes", str(good), stdout=io.StringIO())
    assert Programme.objects.filter(code="ALFA-Z").exists()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(row(code="ALFA-Q", credits="10")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "programmes", str(bad), stderr=err)
    assert "Row 2, column credits" in err.getvalue()
    export = tmp_path / "c.xlsx"
    call_command("export_catalogue", str(export), stdout=io.StringIO())
    assert export.stat().st_size > 0


def test_shipped_files_parse_cleanly(catalogue_loaded):
    for kind in ("programmes", "offerings"):
        parsed = importer.parse(kind, (DATA / f"{kind}.csv").read_bytes())
        assert parsed.errors == []
