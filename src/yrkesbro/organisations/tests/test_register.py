"""The national register: shipped file, re-import, and bad files that change nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.models import AuditEntry
from yrkesbro.organisations import register, services
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.organisations.reference import load_register
from yrkesbro.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in the source language; the default language is bokmål."""
    with translation.override("en"):
        yield


def shipped_rows() -> list[dict[str, str]]:
    with register.REGISTER_FILE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def to_csv(rows: list[dict[str, str]], columns=register.COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_shipped_register_loads_every_county_and_municipality(register_loaded):
    assert register_loaded.counties_created == 15
    assert register_loaded.municipalities_created == 357
    assert Organisation.objects.filter(kind=Kind.COUNTY).count() == 15
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY).count() == 357
    oslo = Organisation.objects.get(kind=Kind.MUNICIPALITY, number="0301")
    assert oslo.county.number == "03"
    assert oslo.org_number == "958935420"
    assert oslo.latitude == pytest.approx(59.9724)
    # Every municipality sits in the county its number starts with.
    for m in Organisation.objects.filter(kind=Kind.MUNICIPALITY).select_related("county"):
        assert m.number[:2] == m.county.number
    haram = Organisation.objects.get(kind=Kind.MUNICIPALITY, name="Haram")
    assert haram.org_number == ""


def test_loading_twice_changes_nothing(register_loaded):
    entries = AuditEntry.objects.count()
    again = load_register()
    assert (again.counties_created, again.municipalities_created) == (0, 0)
    assert (again.counties_updated, again.municipalities_updated) == (0, 0)
    assert again.unchanged == 15 + 357
    assert AuditEntry.objects.count() == entries


def test_reimport_updates_renames_and_deactivates(register_loaded, world):
    rows = shipped_rows()
    rows[0] = {**rows[0], "name": "Oslo kommune"}
    removed = rows.pop()
    parsed = register.parse_register(to_csv(rows))
    assert parsed.errors == []
    report = services.register_import(actor=world.platform_admin, parsed=parsed)
    assert report.municipalities_updated == 1
    assert report.deactivated == [removed["name"]]
    gone = Organisation.objects.get(kind=Kind.MUNICIPALITY, number=removed["municipality_number"])
    assert gone.is_active is False
    entry = AuditEntry.objects.filter(
        action="organisation.import", object_repr="Oslo kommune"
    ).get()
    assert entry.before["name"] == "Oslo" and entry.after["name"] == "Oslo kommune"
    assert entry.actor == world.platform_admin


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"municipality_number": "301"}, "municipality_number", "four digits"),
        ({"organisation_number": "958935421"}, "organisation_number", "mod-11"),
        ({"latitude": "12.0"}, "latitude", "inside Norway"),
        ({"longitude": "nord"}, "longitude", "inside Norway"),
        (
            {"county_number": "99", "county_name": "Testfylke"},
            "county_number",
            "start with the county number",
        ),
        ({"name": ""}, "name", "required"),
    ],
)
def test_bad_rows_are_reported_with_row_and_column(change, column, fragment):
    rows = shipped_rows()
    rows[4] = {**rows[4], **change}
    parsed = register.parse_register(to_csv(rows))
    assert [(e.row, e.column) for e in parsed.errors] == [(6, column)]
    assert fragment in parsed.errors[0].message


def test_duplicates_and_missing_columns_and_empty_file():
    rows = shipped_rows()[:3]
    parsed = register.parse_register(to_csv([*rows, rows[1]]))
    assert {e.column for e in parsed.errors} == {"municipality_number", "organisation_number"}
    assert all(e.row == 5 for e in parsed.errors)
    missing = register.parse_register(to_csv(rows, columns=register.COLUMNS[:-1]))
    assert missing.errors[0].row == 1 and "longitude" in missing.errors[0].column
    assert register.parse_register(to_csv([])).errors[0].message == "The file has no rows."


def test_windows_1252_and_semicolons_are_read_and_said():
    rows = shipped_rows()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(register.COLUMNS), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    text = out.getvalue()
    # Sami names hold letters Windows-1252 lacks (ŋ); Excel writes "?" for them too.
    parsed = register.parse_register(text.encode("cp1252", errors="replace"), "register.csv")
    assert not parsed.errors and len(parsed.rows) == 357
    assert parsed.read_as == "CSV, Windows-1252, semicolon"
    assert "Bø" in {row.name for row in parsed.rows}
    # Bytes neither UTF-8 nor Windows-1252 can hold are refused with their row.
    with pytest.raises(ValueError, match="Windows-1252"):
        register.decode(b"a,b\n\x81\n")
    # A byte-order mark, as Excel writes it, is fine.
    assert register.decode("\ufeffa,b".encode()) == "a,b"


def test_a_file_with_errors_imports_nothing(world):
    rows = shipped_rows()
    rows[10]["organisation_number"] = "123"
    parsed = register.parse_register(to_csv(rows))
    with pytest.raises(DomainError):
        services.register_import(actor=world.platform_admin, parsed=parsed)
    assert not Organisation.objects.filter(kind=Kind.COUNTY).exists()


def test_only_platform_admins_import(world):
    parsed = register.parse_register(to_csv(shipped_rows()[:2]))
    with pytest.raises(NotAllowed):
        services.register_import(actor=world.a.admin, parsed=parsed)
    assert not Organisation.objects.filter(kind=Kind.COUNTY).exists()


def test_import_command_dry_run_and_errors(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(to_csv(shipped_rows()), encoding="utf-8")
    call_command("import_register", str(good), "--dry-run")
    out = capsys.readouterr().out
    assert "Municipalities: 357 new" in out and "Nothing imported (dry run)" in out
    assert "Oslo" in out  # the dry run names what it would create
    assert not Organisation.objects.exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(to_csv([{**shipped_rows()[0], "latitude": "x"}]), encoding="utf-8")
    with pytest.raises(CommandError, match="1 errors"):
        call_command("import_register", str(bad))
    assert "Row 2, column latitude" in capsys.readouterr().err
    call_command("import_register", str(good))
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY).count() == 357


def test_admin_uploads_check_then_import_through_the_web(client, world):
    client.login(username=world.platform_admin.username, password=PASSWORD)
    body = to_csv(shipped_rows()).encode()
    response = client.post(
        "/organisations/import-register/", {"file": SimpleUploadedFile("r.csv", body)}
    )
    assert response.status_code == 200
    assert "357" in response.content.decode()
    assert not Organisation.objects.filter(kind=Kind.COUNTY).exists()  # checked, not imported
    response = client.post(
        "/organisations/import-register/",
        {"file": SimpleUploadedFile("r.csv", body), "apply": "on"},
    )
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY).exclude(number="").count() == 357
    bad = SimpleUploadedFile("r.csv", b"\xff\xfe\x00garbage")
    response = client.post("/organisations/import-register/", {"file": bad, "apply": "on"})
    assert response.status_code == 200 and 'data-color="danger"' in response.content.decode()


def test_non_admins_do_not_find_the_import_page(client, world):
    client.login(username=world.a.admin.username, password=PASSWORD)
    assert client.get("/organisations/import-register/").status_code == 404
