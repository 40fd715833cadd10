"""The register import page in a real browser: a dry run that names every change, a
refusal to shrink the register, and no sideways scrolling at 320 px or 1280 px."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.organisations.reference import load_register
from yrkesbro.testing import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("YRKESBRO_SCREENSHOTS", "")
WIDEST = """[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right
  > document.documentElement.clientWidth).map(e => e.tagName + '.' + e.className + ' ' +
  e.getBoundingClientRect().right).slice(0, 5)"""
ONE_ROW = (
    "municipality_number;name;other_official_names;county_number;county_name;"
    "organisation_number;latitude;longitude\n0301;Oslo;Kristiania – hovedstaden;03;Oslo;974760673;59,91;10,75\n"
)


@pytest.mark.parametrize("width", [320, 1280])
def test_register_import_dry_run_and_shrink_refusal(
    page: Any,
    login: Any,
    axe_check: Any,
    live_server: Any,
    world: World,
    tmp_path: Path,
    width: int,
) -> None:
    load_register()
    active = Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True).count()
    file = tmp_path / "register.csv"
    file.write_bytes(ONE_ROW.encode("cp1252"))
    page.set_viewport_size({"width": width, "height": 900})
    login(page, world.platform_admin)
    page.goto(f"{live_server.url}/organisations/import-register/")
    axe_check(page, "register import, empty")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#id_file").set_input_files(str(file))
    page.locator("#id_allow_shrink").check()
    page.get_by_role("button").filter(has_text="Sjekk").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Windows-1252" in text and "Bergen" in text  # read as, and what would go
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/register-dry-run-{width}.png", full_page=True)
    wide = page.evaluate(WIDEST)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
    axe_check(page, "register import, dry run")
    page.locator("#id_file").set_input_files(str(file))
    page.locator("#id_allow_shrink").uncheck()
    page.locator("#id_apply").check()
    page.get_by_role("button").filter(has_text="Sjekk").click()
    page.wait_for_load_state()
    assert "deaktivert 370 av 372" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page, "register import, shrink refused")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/register-shrink-{width}.png", full_page=True)
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True).count() == active
