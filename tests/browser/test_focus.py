"""Where focus goes and what is announced: the error summary after a failed submit, the
status message after an action, only the count when an HTMX list updates, and the main
menu collapsed behind a button on a narrow screen."""

from __future__ import annotations

from typing import Any

import pytest

from yrkesbro.catalogue.reference import load_national_plans
from yrkesbro.taxonomy.reference import load_competence_areas
from yrkesbro.testing import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_CLASS = "() => document.activeElement && document.activeElement.className"


def test_failed_submit_focuses_the_summary_and_prefixes_the_title(
    page: Any, sign_in: Any, world: World, live_server: Any
) -> None:
    load_national_plans()
    load_competence_areas()
    sign_in(page.context, world.a.editor)
    page.goto(f"{live_server.url}/needs/new/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "ds-error-summary" in page.evaluate(FOCUSED_CLASS)
    assert page.title().startswith("Feil: ")


def test_status_message_gets_focus_after_an_action(
    page: Any, sign_in: Any, world: World, live_server: Any
) -> None:
    from yrkesbro.collaboration.models import Notification

    Notification.objects.create(user=world.a.admin, key="k", subject="Møte i morgen", body="x")
    sign_in(page.context, world.a.admin)
    page.goto(f"{live_server.url}/collaboration/notifications/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "ds-alert" in page.evaluate(FOCUSED_CLASS)
    assert page.locator(".yb-messages .ds-alert").get_attribute("role") == "status"


def test_a_list_update_announces_only_the_count(page: Any, world: World, live_server: Any) -> None:
    page.goto(f"{live_server.url}/organisations/")
    assert page.locator("#results").get_attribute("aria-live") is None
    page.locator("#id_q").fill("Alfa")
    page.wait_for_function(
        "() => document.getElementById('results-status').textContent.trim() !== ''"
    )
    status = page.locator("#results-status").inner_text().strip()
    assert status == page.locator("#result-count").inner_text().strip()
    assert len(status) < 40  # the count, not the list


def test_the_menu_is_a_button_on_a_narrow_screen_and_open_on_a_wide_one(
    page: Any, live_server: Any
) -> None:
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Hovedmeny")
    assert not nav.is_visible()
    page.locator("summary", has_text="Meny").click()
    assert nav.is_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("navigation", name="Hovedmeny").is_visible()
    assert not page.locator("summary", has_text="Meny").is_visible()
