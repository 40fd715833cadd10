"""Upper-secondary VET in a real browser, as the demo users: the company offers places,
the school books a pupil, both sides assess, the county sees supply against demand with
the shortfall trade on top, and a teacher's hospitering is asked, accepted, reported and
printed. Every page: axe-core 0 violations and no sideways scrolling at 1280 and 320 px.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.collaboration.models import Partnership
from yrkesbro.core.demo import load_demo
from yrkesbro.vet.models import Assessment, Hospitering, Offer, Placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1280, 900), (320, 800)]


def _day(n: int) -> str:
    return str(timezone.localdate() + dt.timedelta(days=n))


@pytest.fixture
def check(axe_check: Any) -> Any:
    shots = os.environ.get("YRKESBRO_SCREENSHOTS", "")

    def run(page: Any, label: str) -> None:
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_load_state()
            axe_check(page, f"{label} at {width} px")
            if shots:  # a folder to look at the pages in, when a person asks for it
                name = "".join(c if c.isalnum() else "-" for c in label)
                page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{label}: {overflow} px sideways scrolling at {width} px"
        page.set_viewport_size({"width": 1280, "height": 900})

    return run


def test_vet_journey_as_the_demo_users(
    new_context: Any, sign_in: Any, check: Any, live_server: Any
) -> None:
    load_demo()
    base = live_server.url
    company_user = User.objects.get(username="demo-bedrift")
    school_user = User.objects.get(username="demo-vgs")
    county_user = User.objects.get(username="demo-fylke")

    company = new_context()
    sign_in(company, company_user)
    cpage = company.new_page()
    cpage.goto(f"{base}/vet/")
    check(cpage, "VET arena (company)")
    before = Offer.objects.count()
    for kind, extra in (
        ("apprenticeship", {"#id_starts_on": _day(250), "#id_approval": "approved"}),
        ("yff", {"#id_level": "vg1", "#id_hours": "30", "#id_weeks": "10–12"}),
    ):
        cpage.goto(f"{base}/vet/offers/new/")
        check(cpage, f"offer form ({kind})")
        cpage.locator("#id_kind").select_option(kind)
        cpage.locator("#id_trade").select_option("HSBUA3----")
        cpage.locator("#id_places").fill("2")
        cpage.locator("#id_instructor_name").fill("Jonas Lie")
        cpage.locator("#id_instructor_email").fill("demo-bedrift@yrkesbro.invalid")
        cpage.locator("#id_instructor_is_me").check()
        cpage.get_by_label("Gjøvik videregående skole (demo)").check()
        for selector, value in extra.items():
            if selector in ("#id_approval", "#id_level"):
                cpage.locator(selector).select_option(value)
            else:
                cpage.locator(selector).fill(value)
        cpage.get_by_role("button", name="Lagre tilbud").click()
        cpage.wait_for_load_state()
        assert "/vet/offers/" in cpage.url and "new" not in cpage.url, cpage.url
        check(cpage, f"offer ({kind})")
    assert Offer.objects.count() == before + 2
    yff = Offer.objects.filter(kind="yff").latest("pk")
    assert yff.places == 2 and yff.instructor == company_user

    school = new_context()
    sign_in(school, school_user)
    spage = school.new_page()
    spage.goto(f"{base}{yff.get_absolute_url()}")
    check(spage, "offer, as the school")
    spage.locator("#id_pupil_name").fill("Mari Testelev")
    spage.locator("#id_starts_on").fill(_day(-10))
    spage.locator("#id_ends_on").fill(_day(-1))
    spage.locator("#id_hours").fill("200")  # over Vg1's 168 hours: refused, nothing stored
    spage.get_by_role("button", name="Book elev").click()
    spage.wait_for_load_state()
    assert not Placement.objects.filter(offer=yff).exists()
    check(spage, "booking form with an error")
    spage.locator("#id_hours").fill("30")
    spage.locator("#id_goals").fill("Bli kjent med barnehagehverdagen.")
    spage.get_by_role("button", name="Book elev").click()
    spage.wait_for_load_state()
    placement = Placement.objects.get(offer=yff)
    assert spage.url.endswith(placement.get_absolute_url())
    check(spage, "placement (school)")
    spage.locator("#id_outcome").select_option("completed")
    spage.locator("#id_comment").fill("Godt forberedt.")
    spage.get_by_role("button", name="Lagre vurdering").click()
    spage.wait_for_load_state()

    cpage.goto(f"{base}{placement.get_absolute_url()}")
    text = cpage.locator("main").inner_text()
    assert "Mari" in text and "Testelev" not in text  # the first name and the period only
    check(cpage, "placement (company)")
    cpage.locator("#id_outcome").select_option("completed")
    cpage.locator("#id_would_take_apprentice").select_option("yes")
    cpage.get_by_role("button", name="Lagre vurdering").click()
    cpage.wait_for_load_state()
    assert Assessment.objects.filter(placement=placement).count() == 2
    both = cpage.locator("main").inner_text()
    assert "Skolens vurdering" in both and "Instruktørens vurdering" in both
    assert "Godt forberedt." in both
    check(cpage, "placement with both assessments")

    county = new_context()
    sign_in(county, county_user)
    fpage = county.new_page()
    fpage.goto(f"{base}/vet/supply-demand/?county=34")
    check(fpage, "supply and demand, Innlandet")
    first = fpage.locator("#supply-demand tbody tr").first.inner_text()
    assert "Helsearbeiderfaget" in first
    assert fpage.locator("#supply-demand tbody tr").count() >= 8
    assert "Per arbeidsplass" in fpage.locator("main").inner_text()
    fpage.goto(f"{base}/vet/supply-demand/")
    check(fpage, "supply and demand, Norway")
    fpage.goto(f"{base}/vet/demand/")
    check(fpage, "school demand (county)")

    spage.goto(f"{base}/vet/hospitering/new/")
    check(spage, "hospitering form")
    shared = Partnership.objects.filter(parties__organisation__name="Mjøsa Omsorg AS (demo)")
    partnership = shared.filter(
        parties__organisation__name="Gjøvik videregående skole (demo)"
    ).first()
    assert partnership is not None
    spage.locator("#id_partnership").select_option(str(partnership.pk))
    spage.locator("#id_asked_by_side").select_option("school")
    # School and workplace are searchable pickers (a busy school has hundreds of parties).
    spage.locator("#id_school_q").fill("Gjøvik videregående")
    school = spage.locator("#id_school_options").get_by_label(
        "Gjøvik videregående skole (demo)", exact=True
    )
    school.wait_for()
    school.check()
    spage.locator("#id_workplace_options").get_by_label(
        "Mjøsa Omsorg AS (demo)", exact=True
    ).check()
    spage.locator("#id_participant").fill("Aisha Rahman")
    spage.locator("#id_starts_on").fill(_day(-14))
    spage.locator("#id_ends_on").fill(_day(-8))
    spage.locator("#id_days").fill("5")
    spage.locator("#id_goals").fill("Lære om velferdsteknologi i praksis.")
    spage.get_by_role("button", name="Send forespørsel").click()
    spage.wait_for_load_state()
    item = Hospitering.objects.filter(created_by=school_user).latest("pk")
    assert spage.url.endswith(item.get_absolute_url()), spage.url
    check(spage, "hospitering, asked")

    cpage.goto(f"{base}{item.get_absolute_url()}")
    cpage.get_by_role("button", name="Aksepter").click()
    cpage.wait_for_load_state()
    cpage.locator("#id_report").fill("En god uke for begge.")
    cpage.get_by_role("button", name="Lagre rapport").click()
    cpage.wait_for_load_state()
    spage.reload()
    spage.locator("#id_report").fill("Nye oppgaver til Vg2.")
    spage.get_by_role("button", name="Lagre rapport").click()
    spage.wait_for_load_state()
    item.refresh_from_db()
    assert item.status == "reported"
    check(spage, "hospitering, reported")
    spage.get_by_role("link", name="Utskriftsvennlig sammendrag").click()
    spage.wait_for_load_state()
    printed = spage.locator("main").inner_text()
    assert "En god uke for begge." in printed and "Nye oppgaver til Vg2." in printed
    check(spage, "hospitering, printable summary")
    pdf = spage.request.get(f"{base}/vet/hospitering/{item.pk}/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    spage.goto(f"{base}/vet/")
    check(spage, "VET arena (school)")
    spage.goto(f"{base}/vet/trades/")
    check(spage, "trades")


def test_the_arena_pages_its_lists(
    new_context: Any, sign_in: Any, check: Any, live_server: Any
) -> None:
    """A company with more offers than a page: the offers' page links, at 1280 and 320 px."""
    from yrkesbro.accounts.models import Membership
    from yrkesbro.vet import services
    from yrkesbro.vet.models import OfferKind, Trade
    from yrkesbro.vet.views import INDEX_PAGE_SIZE

    load_demo()
    user = User.objects.get(username="demo-bedrift")
    org = Membership.objects.filter(user=user).first().organisation  # type: ignore[union-attr]
    for trade in Trade.objects.order_by("code")[: INDEX_PAGE_SIZE + 3]:
        services.offer_create(
            actor=user,
            organisation=org,
            trade_code=trade.code,
            kind=OfferKind.YFF,
            school_year=services.current_school_year(),
            places=2,
            level="vg2",
            weeks="36–41",
            hours=60,
            instructor_name="Ina Instruktør",
            instructor_email="ina@example.test",
        )
    context = new_context()
    sign_in(context, user)
    page = context.new_page()
    page.goto(f"{live_server.url}/vet/")
    nav = page.get_by_role("navigation", name="Sider med tilbud")
    assert nav.is_visible()
    check(page, "VET arena, first page of offers")
    nav.get_by_role("link", name="Neste side").click()
    page.wait_for_url("**offers_page=2**")
    check(page, "VET arena, second page of offers")
