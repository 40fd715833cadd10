"""The catalogue import as a web upload: a school's editors upload, the worker checks,
every row error is listed, nothing is imported on any error, a confirmation imports."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from yrkesbro.catalogue import importer
from yrkesbro.catalogue.models import CatalogueImport, ImportStatus, Programme

HEADER = ",".join(importer.PROGRAMME_EXPORT_COLUMNS)


def programme_row(
    code: str, school: str, title: str = "Velferdsteknologi", credits: str = "30"
) -> str:
    return f"{code},{school},,{title},{credits},5.1,Beskrivelse,,,,health,,"


def upload(
    client: Any,
    school_id: int,
    body: str | bytes,
    name: str = "programmes.csv",
    kind: str = "programmes",
) -> Any:
    data = body.encode("utf-8") if isinstance(body, str) else body
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(f"/catalogue/schools/{school_id}/import/", {"kind": kind, "file": file})


def start(
    client: Any, school_id: int, body: str | bytes, captured: Any, **kw: Any
) -> CatalogueImport:
    with captured(execute=True):
        response = upload(client, school_id, body, **kw)
    assert response.status_code == 302, response.content.decode()[:2000]
    return CatalogueImport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_an_editor_checks_then_confirms_and_the_rows_are_imported(
    client, schools, django_capture_on_commit_callbacks
):
    client.force_login(schools.a.editor)
    page = client.get(f"/catalogue/schools/{schools.a.school.pk}/import/")
    assert page.status_code == 200
    assert "programme_id" in page.content.decode()

    body = "\n".join([HEADER, programme_row("ALFA-VT", "ALFA"), programme_row("ALFA-VT2", "ALFA")])
    imp = start(client, schools.a.school.pk, body, django_capture_on_commit_callbacks)
    assert imp.status == ImportStatus.CHECKED
    assert imp.rows == 2
    assert not Programme.objects.filter(code__in=["ALFA-VT", "ALFA-VT2"]).exists()

    status = client.get(imp.get_absolute_url())
    html = status.content.decode()
    assert 'aria-busy="false"' in html and f'action="{imp.get_absolute_url()}"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(imp.get_absolute_url())
    assert response.status_code == 302
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE
    assert imp.report == {"created": 2, "updated": 0, "unchanged": 0}
    assert set(
        Programme.objects.filter(code__in=["ALFA-VT", "ALFA-VT2"]).values_list("school", flat=True)
    ) == {schools.a.school.pk}
    # A second confirmation imports nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(imp.get_absolute_url())
    assert Programme.objects.filter(code="ALFA-VT").count() == 1


def test_every_row_error_is_listed_and_nothing_is_imported(
    client, schools, django_capture_on_commit_callbacks
):
    client.force_login(schools.a.admin)
    body = "\n".join(
        [
            HEADER,
            programme_row("ALFA-OK", "ALFA"),
            programme_row("ALFA-BAD", "ALFA", credits="tre"),
            programme_row("ALFA-X", "BETA"),  # another school's row
            programme_row("BETA-DEMENS", "ALFA"),  # Beta's code
            programme_row("ALFA-T", "ALFA", title=""),
        ]
    )
    imp = start(client, schools.a.school.pk, body, django_capture_on_commit_callbacks)
    assert imp.status == ImportStatus.INVALID
    problems = {(e["row"], e["column"]) for e in imp.errors}
    assert {(3, "credits"), (4, "school_code"), (5, "programme_id"), (6, "title")} <= problems
    html = client.get(imp.get_absolute_url()).content.decode()
    assert "credits" in html and "school_code" in html
    assert f'action="{imp.get_absolute_url()}"' not in html
    response = client.post(imp.get_absolute_url())
    assert response.status_code == 302
    imp.refresh_from_db()
    assert imp.status == ImportStatus.INVALID
    assert (
        not Programme.objects.filter(code__startswith="ALFA-").exclude(code="ALFA-DEMENS").exists()
    )


def test_only_a_schools_editors_may_import_into_it(
    client, schools, django_capture_on_commit_callbacks
):
    body = "\n".join([HEADER, programme_row("ALFA-VT", "ALFA")])
    for user in (schools.a.viewer, schools.b.admin, schools.outsider):
        client.force_login(user)
        assert client.get(f"/catalogue/schools/{schools.a.school.pk}/import/").status_code == 404
        assert upload(client, schools.a.school.pk, body).status_code == 404
    assert not CatalogueImport.objects.exists()

    client.force_login(schools.a.editor)
    imp = start(client, schools.a.school.pk, body, django_capture_on_commit_callbacks)
    for user in (schools.a.viewer, schools.b.admin, schools.outsider):
        client.force_login(user)
        assert client.get(imp.get_absolute_url()).status_code == 404
        assert client.post(imp.get_absolute_url()).status_code == 404
    imp.refresh_from_db()
    assert imp.status == ImportStatus.CHECKED
    client.force_login(schools.a.editor)
    assert client.get("/catalogue/schools/99999999999999999999/import/").status_code == 404
    assert client.get("/catalogue/imports/99999999999999999999/").status_code == 404
    client.logout()
    assert client.get(f"/catalogue/schools/{schools.a.school.pk}/import/").status_code == 302


def test_the_progress_page_polls_while_the_worker_checks(client, schools):
    """Without a worker (no on-commit run) the page shows a progress bar and polls."""
    client.force_login(schools.a.editor)
    response = upload(
        client, schools.a.school.pk, "\n".join([HEADER, programme_row("ALFA-VT", "ALFA")])
    )
    imp = CatalogueImport.objects.get()
    assert imp.status == ImportStatus.CHECKING
    html = client.get(response["Location"]).content.decode()
    assert 'aria-busy="true"' in html and "<progress" in html and 'hx-trigger="every 1s"' in html
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="import-status"')


def test_an_exported_catalogue_uploads_back_unchanged(
    client, schools, django_capture_on_commit_callbacks
):
    """Export (web, XLSX) → web import: every programme is found and nothing changes."""
    client.force_login(schools.a.editor)
    exported = client.get("/catalogue/export.xlsx?kind=programmes&q=Alfa")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))[1:]
    ours = [r for r in rows if r[1] == "ALFA"]
    assert ours, "the export holds Alfa's programme"
    before = list(Programme.objects.filter(school=schools.a.school).values())
    # Keep only Alfa's rows: the web import is per school.
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(importer.PROGRAMME_EXPORT_COLUMNS))
    for r in ours:
        book.active.append(list(r))
    out = io.BytesIO()
    book.save(out)
    imp = start(
        client,
        schools.a.school.pk,
        out.getvalue(),
        django_capture_on_commit_callbacks,
        name="alfa.xlsx",
    )
    assert imp.status == ImportStatus.CHECKED, imp.errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(imp.get_absolute_url())
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE
    assert imp.report == {"created": 0, "updated": 0, "unchanged": len(ours)}
    after = list(Programme.objects.filter(school=schools.a.school).values())
    assert [{k: v for k, v in p.items() if k != "updated_at"} for p in after] == [
        {k: v for k, v in p.items() if k != "updated_at"} for p in before
    ]
