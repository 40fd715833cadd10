"""Hostile spreadsheets (tests/fixtures/hostile/, made by tools/make_hostile_fixtures.py)
fed to every importer, on the command line and on the web: each gives a clear
message with its row and column where it has one, and changes nothing."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from yrkesbro.catalogue import importer
from yrkesbro.catalogue.models import Programme
from yrkesbro.core import tables
from yrkesbro.core.exports import safe_cell
from yrkesbro.needs.models import Need
from yrkesbro.organisations import register, services
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import PASSWORD

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
#: Files no importer can read at all, and the row the refusal names (0: the file).
UNREADABLE = {
    "huge_cell.csv": 2,
    "control_characters.csv": 2,
    "undecodable.csv": 3,
    "truncated.xlsx": 0,
    "control_in_sheet_xml.xlsx": 0,
    "not_a_workbook.xlsx": 0,
}
EVERY_FILE = sorted(p.name for p in HOSTILE.iterdir())


@pytest.mark.parametrize(("name", "row"), sorted(UNREADABLE.items()))
def test_the_reader_refuses_with_a_row_and_a_message(name, row):
    with pytest.raises(tables.TableRefused) as refused:
        tables.read_table((HOSTILE / name).read_bytes(), name)
    first = refused.value.errors[0]
    assert first.message and first.row >= (1 if row else 0)
    if row:
        assert first.row == row and str(first).startswith(f"Row {row}, column ")


def test_control_characters_name_their_column():
    with pytest.raises(tables.TableRefused) as refused:
        tables.read_table((HOSTILE / "control_characters.csv").read_bytes())
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "title"), (3, "title")]


def test_a_far_away_cell_is_read_in_bounded_memory():
    tracemalloc.start()
    table = tables.read_table((HOSTILE / "far_column.xlsx").read_bytes(), "far_column.xlsx")
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert table.header == ["programme_id", "school_code", "title", "credits"]
    assert [number for number, _row in table.rows] == [2]  # row 2000 is empty within bounds
    assert peak < 30_000_000


def test_windows_1252_with_semicolons_and_commas_in_text_is_read_and_said():
    table = tables.read_table((HOSTILE / "windows_1252_semicolon.csv").read_bytes())
    assert table.described == "CSV, Windows-1252, semicolon"
    assert table.rows[0][1]["title"] == "Omsorg, demens og rus – for små og store"


def test_styled_empty_rows_do_not_count_and_real_rows_are_bounded():
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.append(["a", "b"])
    for r in range(2, 40):  # styled but empty rows
        sheet.cell(row=r, column=1).font = Font(bold=True)
    sheet.append(["1", "2"])
    import io

    out = io.BytesIO()
    book.save(out)
    table = tables.read_table(out.getvalue(), "x.xlsx", max_rows=1)
    assert len(table.rows) == 1
    with pytest.raises(tables.TableRefused, match="more than 1 rows"):
        tables.read_table(b"a,b\n1,2\n3,4\n", max_rows=1)


def test_export_guard_is_removed_on_read():
    text = "-Gjøvik, sentrum"
    data = f'a,b\n"{safe_cell(text)}",\'plain\n'.encode()
    table = tables.read_table(data)
    assert table.rows[0][1] == {"a": text, "b": "'plain"}


@pytest.mark.django_db
def test_tricky_numbers_are_refused_per_row(register_loaded):
    fixture = (HOSTILE / "tricky_numbers.csv").read_text(encoding="utf-8").splitlines()
    # The fixture's four columns, widened to every column the programme import needs.
    extra = [c for c in importer.PROGRAMME_COLUMNS if c not in fixture[0].split(",")]
    lines = [",".join([fixture[0], *extra])] + [line + "," * len(extra) for line in fixture[1:]]
    parsed = importer.parse("programmes", "\n".join(lines).encode())
    credit_errors = {e.row for e in parsed.errors if e.column == "credits"}
    assert credit_errors == {2, 3, 4, 5}
    assert not parsed.rows


@pytest.mark.django_db
@pytest.mark.parametrize("name", EVERY_FILE)
@pytest.mark.parametrize("kind", ["programmes", "offerings"])
def test_catalogue_command_refuses_every_hostile_file(name, kind, capsys):
    before = Programme.objects.count()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", kind, str(HOSTILE / name))
    assert capsys.readouterr().err.strip()  # each error is written
    assert Programme.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", EVERY_FILE)
def test_register_command_refuses_every_hostile_file(name, register_loaded, capsys):
    before = list(Organisation.objects.order_by("pk").values_list("pk", "name", "is_active"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_register", str(HOSTILE / name))
    assert capsys.readouterr().err.strip()
    assert list(Organisation.objects.order_by("pk").values_list("pk", "name", "is_active")) == (
        before
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", EVERY_FILE)
def test_register_web_import_refuses_every_hostile_file(client, world, name):
    client.login(username=world.platform_admin.username, password=PASSWORD)
    count = Organisation.objects.count()
    upload = SimpleUploadedFile(name, (HOSTILE / name).read_bytes())
    response = client.post("/organisations/import-register/", {"file": upload, "apply": "on"})
    assert response.status_code == 200
    assert 'data-color="danger"' in response.content.decode()
    assert Organisation.objects.count() == count


@pytest.mark.django_db
@pytest.mark.parametrize("name", EVERY_FILE)
def test_needs_web_import_refuses_every_hostile_file(client, world, name):
    client.login(username=world.a.editor.username, password=PASSWORD)
    upload = SimpleUploadedFile(name, (HOSTILE / name).read_bytes())
    response = client.post("/needs/import/", {"file": upload, "organisation": world.a.org.pk})
    assert response.status_code == 200
    assert 'data-color="danger"' in response.content.decode()
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_a_register_that_would_shrink_is_refused_without_allow_shrink(register_loaded, capsys):
    one = register.parse_register(
        ",".join(register.COLUMNS) + "\n0301,Oslo,,03,Oslo,974760673,59.91,10.75\n"
    )
    assert not one.errors
    with pytest.raises(Exception, match="would deactivate 370 of 372"):
        services.register_import(actor=None, parsed=one)
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True).count() == 357
    report = services.register_import(actor=None, parsed=one, dry_run=True, allow_shrink=True)
    assert len(report.deactivated) == 356 and len(report.counties_deactivated) == 14
    assert "Bergen" in report.deactivated and "Vestland" in report.counties_deactivated
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True).count() == 357
    services.register_import(actor=None, parsed=one, allow_shrink=True)
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True).count() == 1
