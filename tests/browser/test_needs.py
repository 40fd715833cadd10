"""Needs in a real browser: record a need, publish it, see it in the regional view.

Every new page of the needs and taxonomy apps is checked with axe-core (WCAG 2.0/2.1
A and AA): 0 violations.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from yrkesbro.catalogue.reference import load_national_plans
from yrkesbro.needs import services
from yrkesbro.needs.models import Need, Status, Visibility
from yrkesbro.taxonomy.reference import load_competence_areas
from yrkesbro.testing import CountyFactory, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded(world: World) -> World:
    load_national_plans()
    load_competence_areas()
    county = CountyFactory(number="34", name="Innlandet")
    for side in (world.a, world.b):
        side.org.county = county
        side.org.save()
    return world


def test_record_publish_and_see_regionally(
    page: Any, login: Any, axe_check: Any, live_server: Any, loaded: World
) -> None:
    a = loaded.a
    login(page, a.editor)
    page.goto(f"{live_server.url}/needs/")
    axe_check(page, "needs list")
    page.get_by_role("link", name="Registrer et behov").click()
    page.wait_for_load_state()
    axe_check(page, "need form, empty")
    page.locator("#id_unit").fill("Hjemmetjenesten Nord")
    page.get_by_label("Demens", exact=True).check()
    page.get_by_label("Velferdsteknologi", exact=True).check()
    page.locator("#id_people").fill("-5")
    deadline = (timezone.localdate() + timedelta(days=180)).isoformat()
    page.locator("#id_deadline").fill(deadline)
    page.locator("#id_urgency").select_option("high")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page, "need form with errors")
    assert not Need.objects.exists()
    page.locator("#id_people").fill("7")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    need = Need.objects.get()
    assert need.status == Status.DRAFT and need.people == 7
    axe_check(page, "need detail, draft")
    page.get_by_role("button", name="Publiser til skolene").click()
    page.wait_for_load_state()
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED and need.visibility == Visibility.SHARED
    axe_check(page, "need detail, published")
    page.goto(f"{live_server.url}/needs/regional/?county=34")
    axe_check(page, "regional view")
    table = page.locator("main table").inner_text()
    assert "Demens" in table and "Velferdsteknologi" in table
    assert page.locator("main svg.yb-svg-chart").count() == 2
    # Another municipality's viewer sees it; the draft of that municipality stays hidden.
    other = services.need_create(
        actor=loaded.b.editor,
        organisation=loaded.b.org,
        data={
            "unit": "Skjult utkast",
            "people": 3,
            "deadline": timezone.localdate() + timedelta(days=30),
        },
        area_codes=["kreft"],
    )
    page.goto(f"{live_server.url}/needs/{other.pk}/")
    assert "Skjult utkast" not in page.content()


def test_other_pages_are_accessible(
    page: Any, login: Any, axe_check: Any, live_server: Any, loaded: World
) -> None:
    a = loaded.a
    need = services.need_create(
        actor=a.editor,
        organisation=a.org,
        data={
            "unit": "Sykehjemmet",
            "people": 4,
            "deadline": timezone.localdate() + timedelta(days=90),
        },
        area_codes=["lindrende", "kreft"],
    )
    plan = services.plan_create(
        actor=a.editor,
        organisation=a.org,
        data={
            "title": "Kompetanseplan",
            "start_year": 2026,
            "end_year": 2029,
            "visibility": "internal",
        },
    )
    services.plan_set_needs(actor=a.editor, plan=plan, need_ids=[need.pk])
    services.need_create(  # not in the plan: the add page offers it
        actor=a.editor,
        organisation=a.org,
        data={
            "unit": "Hjemmebasert",
            "people": 3,
            "deadline": timezone.localdate() + timedelta(days=120),
        },
        area_codes=["demens"],
    )
    login(page, a.admin)
    for label, path in [
        ("need edit", f"/needs/{need.pk}/edit/"),
        ("assessment", "/needs/assessment/"),
        ("import", "/needs/import/"),
        ("plans", "/needs/plans/"),
        ("plan form", "/needs/plans/new/"),
        ("plan edit", f"/needs/plans/{plan.pk}/edit/"),
        ("plan", f"/needs/plans/{plan.pk}/"),
        ("plan print", f"/needs/plans/{plan.pk}/print/"),
        ("plan internal", f"/needs/plans/{plan.pk}/internal/"),
        ("plan, add needs", f"/needs/plans/{plan.pk}/add-needs/"),
        ("plan, remove a need", f"/needs/plans/{plan.pk}/needs/{need.pk}/remove/"),
        ("regional, nation", "/needs/regional/"),
        ("competence areas", "/taxonomy/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        axe_check(page, label)
    # Needs join and leave the plan on their own pages, which reflow at 320 px.
    page.set_viewport_size({"width": 320, "height": 800})
    for path in (f"/needs/plans/{plan.pk}/", f"/needs/plans/{plan.pk}/add-needs/"):
        page.goto(f"{live_server.url}{path}")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{path} scrolls sideways at 320 px: {widths}"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/needs/plans/{plan.pk}/add-needs/")
    page.get_by_label("Hjemmebasert").check()
    page.get_by_role("button", name="Legg til de valgte behovene").click()
    page.wait_for_load_state()
    axe_check(page, "plan, a need added")
    assert plan.needs.count() == 2
    row = page.get_by_role("row").filter(has_text="Hjemmebasert")
    row.get_by_role("link", name="Ta ut av planen").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Ta ut av planen").click()
    page.wait_for_load_state()
    axe_check(page, "plan, a need removed")
    assert list(plan.needs.all()) == [need]
    page.goto(f"{live_server.url}/needs/plans/{plan.pk}/")
    page.get_by_role("button", name="Godkjenn planen").click()
    page.wait_for_load_state()
    axe_check(page, "plan, approved")
    plan.refresh_from_db()
    assert plan.approved_by == a.admin
    # Import with row errors: the error table is accessible too.
    page.goto(f"{live_server.url}/needs/import/")
    page.locator("#id_file").set_input_files(
        files=[
            {
                "name": "b.csv",
                "mimeType": "text/csv",
                "buffer": b"unit,service_area,staff,area,qualified,target,deadline,urgency\nX,health,-1,nope,1,2,2020-01-01,high\n",
            }
        ]
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main table").count() == 1
    axe_check(page, "import with errors")


def test_taxonomy_edit_is_accessible(
    page: Any, login: Any, axe_check: Any, live_server: Any, loaded: World
) -> None:
    login(page, loaded.platform_admin)
    page.goto(f"{live_server.url}/taxonomy/nevrologi/edit/")
    axe_check(page, "taxonomy edit")
    page.locator("#id_name_en").fill("")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page, "taxonomy edit with errors")
    page.goto(f"{live_server.url}/taxonomy/new/")
    axe_check(page, "taxonomy new")
