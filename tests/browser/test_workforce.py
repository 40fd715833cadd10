"""Workforce in a real browser, on the demo data: demo-kommune accepts an offer, enrols three
employees, marks one completed with a new task and job group and sees it on the effect page;
the partnership timeline shows the request; demo-ansatt reads their own record, exports it
and asks for deletion; the administrator carries it out, and the name is gone everywhere
while the figures stay. Every page: axe at 0 at 1280 px and 320 px, no sideways scrolling.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.collaboration.models import Partnership
from yrkesbro.core.demo import load_demo
from yrkesbro.matching.models import Request, RequestStatus
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.workforce import selectors, tasks
from yrkesbro.workforce.models import Enrolment, EnrolmentStatus, ProgrammeOutcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("YRKESBRO_SCREENSHOTS", "")
# The elements that stick out to the right of the viewport (for the failure message).
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
    || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible'
       && el.clientWidth > 0)
  .slice(0, 8).map(el => el.tagName + '.' + el.className + '#' + el.id + ':'
    + el.scrollWidth + '/' + el.clientWidth)"""


def _check(page: Any, axe_check: Any, label: str) -> None:
    """axe at 1280 px and at 320 px, and nothing but tables scrolls sideways at 320 px."""
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page, f"{label} (1280 px)")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{label}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if widths[0] > widths[1]:
        wide = page.evaluate(WIDE)
        raise AssertionError(f"{label} scrolls sideways at 320 px: {widths} {wide}")
    axe_check(page, f"{label} (320 px)")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{label}-320.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_accept_enrol_complete_effect_and_the_person_controls_their_data(
    new_context: Any, sign_in: Any, axe_check: Any, live_server: Any
) -> None:
    load_demo()
    base = live_server.url
    gjovik = Organisation.objects.get(kind=Kind.MUNICIPALITY, number="3407")
    kommune = User.objects.get(username="demo-kommune")
    ansatt = User.objects.get(username="demo-ansatt")
    offer = Request.objects.get(is_demo=True)
    assert offer.status == RequestStatus.OFFERED

    muni = new_context()
    sign_in(muni, kommune)
    page = muni.new_page()
    page.goto(f"{base}{offer.get_absolute_url()}")
    page.get_by_role("button", name="Aksepter tilbudet").click()
    page.wait_for_load_state()
    offer.refresh_from_db()
    assert offer.status == RequestStatus.ACCEPTED
    _check(page, axe_check, "request-accepted")

    page.get_by_role("link", name="Meld på ansatte på dette tilbudet").click()
    page.wait_for_load_state()
    _check(page, axe_check, "enrol")
    for name in ("Mona Bakken", "Lars Haugen", "Siri Moen"):
        page.get_by_label(name, exact=True).check()
    # Enter in the date field saves the form; the pickers' Search button, first in the
    # form, must not take it (that would show the page again, unsaved).
    page.locator("input[name=enrolled_on]").press("Enter")
    page.wait_for_load_state()
    enrolled = Enrolment.objects.filter(request=offer)
    assert enrolled.count() == 3
    assert "3 ansatte påmeldt." in page.content()
    _check(page, axe_check, "enrolments")

    first = enrolled.get(employee__full_name="Mona Bakken")
    page.goto(f"{base}/workforce/enrolments/{first.pk}/")
    page.locator("#id_ended_on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Merk som fullført").click()
    page.wait_for_load_state()
    first.refresh_from_db()
    assert first.status == EnrolmentStatus.COMPLETED
    page.get_by_label("Nye oppgaver", exact=True).check()
    page.locator("#id_job_group_after").select_option("fagbrev_fagskole")
    page.get_by_role("button", name="Lagre resultat").click()
    page.wait_for_load_state()
    first.refresh_from_db()
    assert first.outcome.gave_new_tasks and first.outcome.gave_new_job_group
    _check(page, axe_check, "enrolment-completed")

    page.goto(f"{base}/workforce/org/{gjovik.pk}/effect/")
    totals = selectors.effect(kommune, gjovik).totals
    assert totals.completed == 14 and totals.interrupted == 1
    assert f"{totals.enrolled} påmeldt, 14 fullført, 1 avbrutt" in page.content()
    _check(page, axe_check, "effect")

    partnership = Partnership.objects.get(parties__organisation=gjovik, name__contains="Fagskolen")
    page.goto(f"{base}{partnership.get_absolute_url()}")
    timeline = page.locator("ol.yb-timeline").inner_text()
    assert "Forespørsel" in timeline and "(akseptert)" in timeline
    _check(page, axe_check, "partnership-timeline")

    # The employee: their own record, the export, the request to delete.
    person = new_context(accept_downloads=True)
    sign_in(person, ansatt)
    mine = person.new_page()
    mine.goto(f"{base}/workforce/me/")
    assert (
        "Fagskole innen helse, aldring og aktiv omsorg" in mine.content()
        or mine.locator("main table a").count() == 1
    )
    assert "Mona Bakken" not in mine.content()
    _check(mine, axe_check, "me")
    mine.locator("main table a").first.click()
    mine.wait_for_load_state()
    assert "Ola Hansen" in mine.content()
    _check(mine, axe_check, "own-record")
    mine.goto(f"{base}/workforce/me/")
    with mine.expect_download() as download:
        mine.get_by_role("link", name="Last ned dataene mine (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["records"]["workforce.employee"][0]["full_name"] == "Ola Hansen"
    mine.get_by_role("button", name="Be om å slette dataene mine").click()
    mine.wait_for_load_state()
    assert "Sletting bedt om" in mine.content()
    _check(mine, axe_check, "me-deletion-requested")

    # The administrator carries it out.
    tasks.refresh_now()
    figures = {r.programme_id: r.figures() for r in ProgrammeOutcome.objects.all()}
    page.goto(f"{base}/workforce/deletions/")
    _check(page, axe_check, "deletions")
    page.get_by_role("button", name="Slett dataene til Ola Hansen").click()
    page.wait_for_load_state()
    assert "Personens data er slettet." in page.content()
    _check(page, axe_check, "deletions-done")
    tasks.refresh_now()
    assert {r.programme_id: r.figures() for r in ProgrammeOutcome.objects.all()} == figures
    assert selectors.effect(kommune, gjovik).totals == totals
    for path in (
        f"/workforce/org/{gjovik.pk}/",
        f"/workforce/org/{gjovik.pk}/?page=2",
        f"/workforce/org/{gjovik.pk}/enrolments.csv",
        "/workforce/deletions/",
        f"/organisations/{gjovik.pk}/members/",
        f"/organisations/{gjovik.pk}/audit/",
        partnership.get_absolute_url(),
        offer.get_absolute_url(),
    ):
        body = page.request.get(f"{base}{path}").text()
        assert "Ola Hansen" not in body, path
    ansatt.refresh_from_db()
    assert not ansatt.is_active

    # The school sees the seats taken per employer, never a name.
    school = new_context()
    sign_in(school, User.objects.get(username="demo-fagskole"))
    spage = school.new_page()
    spage.goto(f"{base}/workforce/")
    assert "Gjøvik" in spage.content() and "Mona Bakken" not in spage.content()
    _check(spage, axe_check, "school-seats")
    spage.goto(f"{base}{offer.offer_programme.get_absolute_url()}")
    _check(spage, axe_check, "programme-what-it-led-to")
