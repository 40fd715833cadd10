"""The catalogue upload and its status page in every state, and the lists with download links:
reflow at 320 px and 1280 px, no axe violations, and the status page polls until the worker
is done (HTMX swaps the progress for the result without a reload)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.test_reflow import MEASURE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def uploads(db: Any) -> dict[str, Any]:
    from yrkesbro.accounts.models import Membership
    from yrkesbro.catalogue import importer
    from yrkesbro.catalogue.models import CatalogueImport, ImportStatus
    from yrkesbro.core.demo import load_demo

    load_demo()
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username="demo-fagskole"
    )
    school, user = membership.organisation, membership.user
    errors = [
        {"row": 2, "column": "credits", "message": "“tre” is not a whole number."},
        {"row": 0, "column": "", "message": "The file is larger than 50 MB."},
    ]
    made = {}
    for status in ImportStatus.values:
        made[status] = CatalogueImport.objects.create(
            school=school,
            created_by=user,
            kind="programmes",
            filename=f"a-rather-long-file-name-for-{status}-programmes-2026.xlsx",
            data=b"",
            status=status,
            rows=1200,
            done=500,
            errors=errors if status in ("invalid", "failed") else [],
            read_as="XLSX",
            report={"created": 3, "updated": 1, "unchanged": 1196},
        )
    assert importer.PROGRAMME_EXPORT_COLUMNS
    return {"school": school, "user": user, "made": made}


@pytest.mark.parametrize("width", [320, 1280])
def test_upload_and_status_pages_reflow_without_axe_violations(
    width: int,
    uploads: dict[str, Any],
    new_context: Callable[..., Any],
    sign_in: Callable[[Any, Any], None],
    axe_violations: Callable[[Any], list[dict[str, Any]]],
) -> None:
    context = new_context()
    sign_in(context, uploads["user"])
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    paths = [f"/catalogue/schools/{uploads['school'].pk}/import/", "/matching/requests/"]
    paths += [u.get_absolute_url() for u in uploads["made"].values()]
    failures = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        measured = page.evaluate(MEASURE)
        if measured["overflow"] > 0:
            failures.append(
                f"{path} at {width}: sideways {measured['overflow']} px {measured['culprits']}"
            )
        for violation in axe_violations(page):
            targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
            failures.append(f"{path} at {width}: axe {violation['id']}: {targets}")
    context.close()
    assert not failures, "\n".join(failures)


def test_the_status_page_swaps_the_progress_for_the_result(
    uploads: dict[str, Any],
    new_context: Callable[..., Any],
    sign_in: Callable[[Any, Any], None],
) -> None:
    from yrkesbro.catalogue.models import ImportStatus

    context = new_context()
    sign_in(context, uploads["user"])
    page = context.new_page()
    busy = uploads["made"][ImportStatus.CHECKING]
    page.goto(busy.get_absolute_url())
    assert page.locator("progress").count() == 1
    assert page.locator("#import-status").get_attribute("aria-busy") == "true"
    busy.status, busy.done = ImportStatus.CHECKED, busy.rows
    busy.save()
    page.wait_for_selector('#import-status[aria-busy="false"]', timeout=5000)
    assert page.locator("progress").count() == 0
    assert page.locator("#import-status form button").count() == 1
    context.close()
