"""Matching in a real browser: a municipality asks a school, the school offers, the
municipality accepts, in two browser contexts. Every matching page is checked with
axe-core (WCAG 2.0/2.1 A and AA): 0 violations.
"""

from __future__ import annotations

from typing import Any

import pytest

from yrkesbro.matching.models import Request, RequestStatus
from yrkesbro.matching.tests.conftest import Setup, setup  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_offer_accept_round_trip(
    new_context: Any,
    sign_in: Any,
    axe_check: Any,
    live_server: Any,
    setup: Setup,  # noqa: F811
) -> None:
    s = setup
    base = live_server.url
    muni = new_context()
    sign_in(muni, s.world.a.editor)
    mpage = muni.new_page()
    mpage.goto(f"{base}/matching/needs/{s.need.pk}/")
    axe_check(mpage, "need matches")
    first = mpage.locator("main article").first
    assert "Dekker Demens via nasjonal plan DEMENS" in first.inner_text()
    first.get_by_role("link", name="Be Innlandet fagskole om plasser").click()
    mpage.wait_for_load_state()
    axe_check(mpage, "request form")
    mpage.locator("#id_message").fill("Vi trenger tolv plasser.")
    mpage.get_by_role("button", name="Send forespørsel").click()
    mpage.wait_for_load_state()
    req = Request.objects.get()
    assert req.status == RequestStatus.REQUESTED and req.offering == s.near
    axe_check(mpage, "request, requested (municipality)")

    school = new_context()
    sign_in(school, s.school.editor)
    spage = school.new_page()
    spage.goto(f"{base}/matching/schools/{s.school.org.pk}/")
    axe_check(spage, "school demand")
    spage.get_by_role("link", name="Alfa").first.click()
    spage.wait_for_load_state()
    axe_check(spage, "request, to answer (school)")
    spage.locator("#id_seats").fill("0")
    spage.get_by_role("button", name="Send tilbud").click()
    spage.wait_for_load_state()
    axe_check(spage, "offer form with errors")
    req.refresh_from_db()
    assert req.status == RequestStatus.REQUESTED
    spage.locator("#id_seats").fill("12")
    spage.get_by_role("button", name="Send tilbud").click()
    spage.wait_for_load_state()
    req.refresh_from_db()
    assert req.status == RequestStatus.OFFERED and req.offer_seats == 12
    axe_check(spage, "request, offered (school)")

    mpage.reload()
    axe_check(mpage, "request, offered (municipality)")
    mpage.get_by_role("button", name="Aksepter tilbudet").click()
    mpage.wait_for_load_state()
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED
    assert "Dere aksepterte tilbudet." in mpage.content()
    axe_check(mpage, "request, accepted")
    for label, path in [
        ("matching overview", "/matching/"),
        ("requests", "/matching/requests/"),
        ("gaps, nation", "/matching/gaps/"),
        ("gaps, county", "/matching/gaps/?county=34"),
    ]:
        mpage.goto(f"{base}{path}")
        axe_check(mpage, label)
    assert mpage.locator("main svg.yb-svg-chart").count() == 1
