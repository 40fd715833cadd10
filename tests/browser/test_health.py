"""Collaboration health in a real browser, on the demo data.

demo-kommune and demo-fagskole both answer the open round of their partnership; the
municipality's admin closes it; the divergence view shows the gap; the national and
Innlandet indicator pages show figures, a chart and a table in bokmål, nynorsk and
English. Every page: axe-core 0 violations at 1280 px and 320 px, no sideways scrolling.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from yrkesbro.accounts.models import User
from yrkesbro.core.demo import DEMO_PASSWORD, load_demo
from yrkesbro.health.demo import GAP_NAME
from yrkesbro.health.models import Participation, Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SHOTS = os.environ.get("YRKESBRO_SCREENSHOTS", "")  # a folder to keep screenshots in


def check_widths(page: Any, axe_check: Any, label: str) -> None:
    """axe at 1280 px and at 320 px, and nothing but tables scrolls sideways at 320 px."""
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page, f"{label} at 1280 px")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{label.replace(' ', '-')}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{label.replace(' ', '-')}-320.png", full_page=True)
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{label} scrolls sideways at 320 px: {widths}"
    axe_check(page, f"{label} at 320 px")
    page.set_viewport_size({"width": 1280, "height": 900})


def answer_round(
    page: Any, live_server: Any, axe_check: Any, school_side: bool, lang: str = "nb"
) -> None:
    page.goto(f"{live_server.url}/health/")
    if lang != "nb":
        page.locator(f"header button[name=language][value={lang}]").click()
        page.wait_for_load_state()
    check_widths(page, axe_check, f"my surveys {lang}")
    page.locator("main ul a[href*='/answer/']").first.click()
    page.wait_for_load_state()
    check_widths(page, axe_check, f"survey form {lang}")
    # Sending with a question left out changes nothing and says why.
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#answer-error").is_visible()
    check_widths(page, axe_check, f"survey form with an error {lang}")
    for fieldset in page.locator("main fieldset").all():
        legend = fieldset.locator("legend").inner_text()
        low = "Kommunikasjonen" in legend or "holder det" in legend
        value = "5" if school_side or not low else "1"
        fieldset.locator(f"input[value='{value}']").check()
    page.locator("#free_text").fill("Faste møter hver måned ville hjulpet.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/health/partnerships/" in page.url


def test_both_sides_answer_and_see_the_gap_and_the_indicators(
    page: Any, new_context: Any, login: Any, axe_check: Any, live_server: Any
) -> None:
    load_demo()
    kommune = User.objects.get(username="demo-kommune")
    fagskole = User.objects.get(username="demo-fagskole")
    open_round = Round.objects.get(partnership__name=GAP_NAME, closed_at__isnull=True)
    before = Participation.objects.filter(round=open_round).count()

    login(page, kommune, DEMO_PASSWORD)
    answer_round(page, live_server, axe_check, school_side=False)
    other = new_context().new_page()
    login(other, fagskole, DEMO_PASSWORD)
    answer_round(other, live_server, axe_check, school_side=True, lang="en")
    assert "Thank you" in other.locator("main").inner_text()
    assert Participation.objects.filter(round=open_round).count() == before + 2

    # The municipality's admin closes the round; its figures appear, largest gap first.
    page.reload()
    page.get_by_role("button", name="Lukk runden nå").click()
    page.wait_for_load_state()
    open_round.refresh_from_db()
    assert open_round.closed_at is not None
    check_widths(page, axe_check, "divergence view")
    first = page.locator("main table").first.locator("tbody tr").first
    assert "Kommunikasjonen" in first.inner_text() or "holder det" in first.inner_text()
    gap = float(first.locator("td").last.inner_text().replace(",", "."))
    assert gap >= 1.5
    assert page.locator("main figure svg[role=img]").count() >= 1
    assert "Faste møter hver måned" in page.locator("main").inner_text()
    # The same view in nynorsk and English.
    for lang, word in (("nn", "Skilnad"), ("en", "Gap")):
        page.locator(f"header button[name=language][value={lang}]").click()
        page.wait_for_load_state()
        assert word in page.locator("main table").first.inner_text()
        check_widths(page, axe_check, f"divergence view {lang}")

    # Public indicators, in three languages, for the nation and for Innlandet.
    public = new_context().new_page()
    words = {"nb": "Samarbeidsindikatorer", "nn": "Samarbeidsindikatorar", "en": "Collaboration"}
    for lang, word in words.items():
        public.goto(f"{live_server.url}/health/indicators/")
        public.locator(f"header button[name=language][value={lang}]").click()
        public.wait_for_load_state()
        for query in ("", "?county=34"):
            public.goto(f"{live_server.url}/health/indicators/{query}")
            heading = public.locator("main h1").inner_text()
            assert word in heading and (not query or "Innlandet" in heading)
            assert public.locator("main figure svg[role=img]").count() >= 2
            assert public.locator("main table").first.locator("tbody tr").count() >= 9
            check_widths(public, axe_check, f"indicators {lang} {query or 'Norway'}")


def test_platform_admin_publishes_a_new_questionnaire_version(
    page: Any, login: Any, axe_check: Any, live_server: Any
) -> None:
    from yrkesbro.health.models import ItemSet

    load_demo()
    current = ItemSet.objects.get(is_current=True)
    login(page, User.objects.get(username="demo-admin"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/health/")
    page.locator("nav.yb-subnav a[href='/health/item-sets/']").click()
    page.wait_for_load_state()
    assert f"{current.version}" in page.locator("main table").first.inner_text()
    check_widths(page, axe_check, "questionnaire versions")
    page.locator("main a[href='/health/item-sets/new/']").click()
    page.wait_for_load_state()
    check_widths(page, axe_check, "questionnaire editor")
    # An empty text is refused with a clear message, and nothing is published.
    page.locator("#item-0-nn").fill("")
    page.locator("#item-0-nn").evaluate("el => el.removeAttribute('required')")
    page.locator("main form button[value=review]").click()
    page.wait_for_load_state()
    assert page.locator("#item-set-error").is_visible()
    check_widths(page, axe_check, "questionnaire editor with an error")
    page.locator("#item-0-nn").fill("Vi og den andre parten har eit klart felles mål.")
    page.locator("main form button[value=review]").click()
    page.wait_for_load_state()
    assert "eit klart felles mål" in page.locator("main table").inner_text()
    check_widths(page, axe_check, "questionnaire review")
    assert ItemSet.objects.get(is_current=True).pk == current.pk  # not yet published
    page.locator("main form button[value=publish]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/health/item-sets/")
    new = ItemSet.objects.get(is_current=True)
    assert new.version == current.version + 1
    assert new.items.get(position=1).text_nn == "Vi og den andre parten har eit klart felles mål."
