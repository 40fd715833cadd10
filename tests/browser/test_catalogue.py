"""The programme catalogue in a real browser: search as you type, filters, editing, axe at 0."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from yrkesbro.accounts.models import Membership
from yrkesbro.catalogue.models import Programme
from yrkesbro.core.policies import Role
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(db: Any) -> Any:
    """The reference catalogue, and an editor at Fagskolen Innlandet (like demo-fagskole)."""
    from yrkesbro.catalogue import demo
    from yrkesbro.catalogue.reference import load_national_plans
    from yrkesbro.organisations.reference import load_all
    from yrkesbro.taxonomy.reference import load_competence_areas

    load_all()
    load_national_plans()
    load_competence_areas()
    demo.load()
    school = Organisation.objects.get(kind=Kind.FAGSKOLE, code="FINN")
    editor = UserFactory(username="finn-editor")
    Membership.objects.create(user=editor, organisation=school, role=Role.EDITOR)
    return editor


def test_search_as_you_type_and_filter(
    page: Any, live_server: Any, catalogue: Any, axe_check: Callable[..., None]
) -> None:
    page.goto(f"{live_server.url}/catalogue/")
    axe_check(page, "catalogue")
    page.locator("#id_q").fill("palliative care")
    page.wait_for_url("**q=palliative*")
    first = page.locator("#results li.ds-card h2").first
    first.wait_for()
    assert "Kreft" in first.inner_text() or "Palliasjon" in first.inner_text()
    assert page.locator("#results .yb-why").first.is_visible()
    axe_check(page, "catalogue with results")
    page.locator("#id_delivery").select_option("online")
    page.wait_for_url("**delivery=online*")
    page.wait_for_load_state("networkidle")
    count = page.locator("#result-count").inner_text()
    assert count and not count.startswith("0")


def test_search_without_javascript(
    new_context: Callable[..., Any], live_server: Any, catalogue: Any
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/catalogue/")
    page.locator("#id_q").fill("demnes")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    assert "q=demnes" in page.url
    assert "Demens" in page.locator("#results li.ds-card h2").first.inner_text()


def test_pages_have_no_axe_violations(
    page: Any, live_server: Any, catalogue: Any, axe_check: Callable[..., None]
) -> None:
    programme = Programme.objects.get(code="FINN-DEMENS")
    for path in (
        f"/catalogue/programmes/{programme.pk}/",
        f"/catalogue/schools/{programme.school_id}/",
        "/catalogue/plans/",
        "/catalogue/plans/DEMENS/",
        "/catalogue/overview/",
    ):
        page.goto(f"{live_server.url}{path}")
        axe_check(page, path)


def test_editor_edits_a_programme(
    page: Any,
    live_server: Any,
    catalogue: Any,
    login: Callable[..., None],
    axe_check: Callable[..., None],
) -> None:
    programme = Programme.objects.get(code="FINN-DEMENS")
    login(page, catalogue)
    page.goto(f"{live_server.url}/catalogue/programmes/{programme.pk}/edit/")
    axe_check(page, "edit programme")
    page.locator("#id_credits").fill("200")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    axe_check(page, "edit programme with errors")
    page.locator("#id_credits").fill("60")
    page.locator("#id_title").fill("Demensomsorg og alderspsykiatri (ny)")
    # An own competence area beyond the national plan (issue 15).
    page.get_by_label("Flerspråklig og flerkulturell kompetanse").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/catalogue/programmes/{programme.pk}/")
    assert "(ny)" in page.locator("h1").inner_text()
    assert "Flerspråklig og flerkulturell kompetanse" in page.locator("main dl").first.inner_text()
    assert list(programme.competence_areas.values_list("code", flat=True)) == ["flerkulturell"]
    page.goto(f"{live_server.url}/catalogue/programmes/{programme.pk}/offerings/new/")
    axe_check(page, "new offering")
    page.goto(f"{live_server.url}/catalogue/programmes/{programme.pk}/delete/")
    axe_check(page, "confirm delete")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert not Programme.objects.filter(pk=programme.pk).exists()
    other = Programme.objects.get(code="FNORD-DEMENS")
    response = page.goto(f"{live_server.url}/catalogue/programmes/{other.pk}/edit/")
    assert response.status == 404
