"""Pages changed for national scale, in a real browser at 320 and 1280 px: the gaps page
with the time of its last refresh, the plan's matches, and the paginated collaboration
index and national plan page, a need whose matches the worker is still computing, a
catalogue search with more matches than it ranks, and the forms with searchable pickers
(the calendar feeds' forum among them). axe-core 0 violations; no sideways scrolling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yrkesbro.catalogue import search
from yrkesbro.collaboration.services import partnerships
from yrkesbro.matching import gap_tables, selectors
from yrkesbro.matching.models import MatchResult, NeedMatching
from yrkesbro.matching.tests.conftest import Setup, setup  # noqa: F401 - the fixture
from yrkesbro.needs.models import CompetencePlan
from yrkesbro.testing import OrganisationFactory
from yrkesbro.workforce.models import Employee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"


def test_scale_pages_at_two_widths(
    new_context: Any,
    sign_in: Any,
    axe_check: Any,
    live_server: Any,
    monkeypatch: Any,
    setup: Setup,  # noqa: F811
) -> None:
    s = setup
    plan = CompetencePlan.objects.create(
        organisation=s.world.a.org, title="Plan", start_year=2026, end_year=2029
    )
    s.need.plan = plan
    s.need.save()
    for i in range(30):
        partnerships.partnership_create(
            actor=s.world.a.editor,
            data={"name": f"Samarbeid {i:02d}", "purpose": "x"},
            organisations=[s.world.a.org, OrganisationFactory()],
        )
    Employee.objects.bulk_create(
        Employee(organisation=s.world.a.org, full_name=f"Ansatt med et langt navn {i:02d}")
        for i in range(30)
    )
    gap_tables.refresh()
    search.reindex()
    context = new_context()
    sign_in(context, s.world.a.editor)
    page = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for label, path in [
            ("gaps", "/matching/gaps/"),
            ("plan matches", f"/matching/plans/{plan.pk}/"),
            ("collaboration index", "/collaboration/"),
            # searchable pickers (core/pickers.py) over 30+ organisations and employees
            ("new partnership", "/collaboration/partnerships/new/"),
            ("ask a school", f"/matching/needs/{s.need.pk}/request/"),
            ("enrol", f"/workforce/org/{s.world.a.org.pk}/enrol/"),
            ("calendar feeds", "/collaboration/calendars/"),
            ("national plan", f"/catalogue/plans/{s.dementia.national_plan.code}/"),
            ("need waiting for the worker", f"/matching/needs/{s.need.pk}/"),
            ("catalogue search over the limit", "/catalogue/?q=omsorg+helse+pleie"),
        ]:
            if label == "need waiting for the worker":
                # a national-size catalogue, and this need's matches not computed yet
                monkeypatch.setattr(selectors, "LIVE_MAX_OFFERINGS", 0)
                MatchResult.objects.filter(need=s.need).delete()
                NeedMatching.objects.filter(need=s.need).delete()
            if label == "catalogue search over the limit":
                monkeypatch.setattr(search, "MAX_HITS", 1)  # as 1,000 of a national catalogue
            page.goto(f"{live_server.url}{path}")
            said = {
                "need waiting for the worker": "blir beregnet i bakgrunnen",
                "catalogue search over the limit": "Mer enn 1 utdanninger passer",
            }
            assert said.get(label, "") in page.content(), label
            axe_check(page, f"{label} at {width} px")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            wide = page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
                ".right > document.documentElement.clientWidth + 1).slice(0, 5)"
                ".map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
            )
            assert not overflow, f"{label} scrolls sideways at {width} px: {wide}"
            page.screenshot(path=str(SHOTS / f"scale-{label.replace(' ', '-')}-{width}.png"))
    page.goto(f"{live_server.url}/matching/gaps/")
    assert "Tallene gjelder per" in page.content()
    page.goto(f"{live_server.url}/collaboration/")
    assert page.locator("nav.yb-pagination").count() == 1


def test_school_demand_with_its_figures_time_at_two_widths(
    new_context: Any,
    sign_in: Any,
    axe_check: Any,
    live_server: Any,
    monkeypatch: Any,
    setup: Setup,  # noqa: F811
) -> None:
    """The demand page says when its figures were computed, and at national scale that new
    ones are on their way after a need changed (``matching.demand``); its incoming requests
    come a page at a time."""
    from yrkesbro.matching import demand
    from yrkesbro.matching.tests.conftest import ask_for_places, make_need
    from yrkesbro.matching.views import PAGE_SIZE

    s = setup
    ask_for_places(s, PAGE_SIZE + 1)
    context = new_context()
    sign_in(context, s.school.admin)
    page = context.new_page()
    url = f"{live_server.url}/matching/schools/{s.school.org.pk}/"
    SHOTS.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(demand, "LIVE_MAX_NEEDS", 0)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for label, expected in (("current", "Tall per"), ("updating", "blir beregnet")):
            if label == "updating":
                make_need(s.world.b.org, ["kreft"], people=3)  # a change anywhere
                demand._shared_version.clear()  # seen after demand.VERSION_SECONDS
            page.goto(url)
            assert expected in page.content(), label
            assert page.get_by_role("navigation", name="Sider med forespørsler").is_visible()
            axe_check(page, f"school demand {label} at {width} px")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not overflow, f"school demand {label} scrolls sideways at {width} px"
            page.screenshot(path=str(SHOTS / f"scale-school-demand-{label}-{width}.png"))
