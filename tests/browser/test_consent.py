"""The invitation inbox, the partnership page of an invited party and leaving, in a real
browser at 320 px and 1280 px: no sideways scrolling, no axe violations, no CSP violation."""

from __future__ import annotations

import os
from typing import Any

import pytest

from yrkesbro.collaboration.services import partnerships
from yrkesbro.testing import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("YRKESBRO_SCREENSHOTS", "")


def _fits(page: Any, label: str) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{label}.png", full_page=True)
    assert widths[0] <= widths[1], f"{label} scrolls sideways: {widths}"


@pytest.mark.parametrize("width", [320, 1280])
def test_inbox_accept_and_leave(
    world: World, new_context: Any, sign_in: Any, axe_check: Any, live_server: Any, width: int
) -> None:
    p = partnerships.partnership_create(
        actor=world.a.editor,
        data={"name": "Alfa og Beta – et langt navn på et partnerskap", "purpose": "Formål"},
        organisations=[world.a.org, world.b.org],
    )
    context = new_context()
    sign_in(context, world.b.admin)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/collaboration/")
    assert page.locator("#invitations-heading").is_visible()
    _fits(page, f"inbox-{width}")
    axe_check(page, f"invitation inbox at {width}px")
    page.goto(f"{live_server.url}{p.get_absolute_url()}")
    _fits(page, f"invited-partnership-{width}")
    axe_check(page, f"partnership seen by an invited party at {width}px")
    page.goto(f"{live_server.url}/collaboration/")
    page.locator("button[name=answer][value=accept]").click()
    page.wait_for_url(f"**{p.get_absolute_url()}")
    leave = page.locator(f"form[action$='/partnerships/{p.pk}/leave/'] button")
    assert leave.is_visible()
    _fits(page, f"partnership-with-leave-{width}")
    axe_check(page, f"partnership with leave at {width}px")
    leave.click()
    page.wait_for_url("**/collaboration/")
    assert not p.parties.filter(organisation=world.b.org).exists()
