"""Collaboration in a real browser: create a partnership, both parties sign an agreement,
hold a meeting with an action item; axe finds no WCAG A/AA violations on any page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation

from yrkesbro.collaboration.models import ActionItem, Agreement, Meeting, Partnership
from yrkesbro.testing import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def t(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def submit(page: Any, label: str) -> None:
    page.get_by_role("button", name=t(label), exact=True).click()
    page.wait_for_load_state()


def test_partnership_agreement_signed_by_both_and_a_meeting_with_an_action(
    world: World, page: Any, new_context: Any, login: Any, axe_check: Any, live_server: Any
) -> None:
    base = live_server.url
    # An editor in Alfa starts a partnership with Beta.
    login(page, world.a.editor)
    page.goto(f"{base}/collaboration/")
    axe_check(page, "collaboration index (empty)")
    page.get_by_role("link", name=t("New partnership")).click()
    axe_check(page, "new partnership form")
    page.locator("#id_own").select_option(str(world.a.org.pk))
    # The partner picker searches as one types (HTMX) and keeps what is ticked.
    page.locator("#id_partners_q").fill(world.b.org.name)
    partner = page.locator(f"#id_partners_options input[value='{world.b.org.pk}']")
    partner.wait_for()
    partner.check()
    page.locator("#id_partners_q").fill("zz-nothing-matches")
    page.get_by_text(
        t("Nothing matches “%(search)s”.") % {"search": "zz-nothing-matches"}
    ).wait_for()
    assert partner.is_checked()
    axe_check(page, "new partnership form, partner searched")
    page.locator("#id_name").fill("Alfa og Beta – helse")
    page.locator("#id_purpose").fill("Kompetanseheving i helse og omsorg")
    submit(page, "Create partnership")
    partnership = Partnership.objects.get(name="Alfa og Beta – helse")
    assert page.url.endswith(partnership.get_absolute_url())
    # Nobody is anchored yet: the page warns.
    assert page.get_by_text(t("Anchoring is incomplete")).is_visible()
    axe_check(page, "partnership detail")
    # Beta is only invited: none of its people can be picked until its admin accepts.
    page.get_by_role("link", name=t("Parties and people")).click()
    assert page.locator(f"#id_rep-user option[value='{world.b.editor.pk}']").count() == 0
    beta = new_context().new_page()
    login(beta, world.b.admin)
    beta.goto(f"{base}/collaboration/")
    axe_check(beta, "collaboration index with an invitation")
    beta.locator("button[name=answer][value=accept]").click()
    beta.wait_for_load_state()
    assert beta.url.endswith(partnership.get_absolute_url())
    assert partnership.parties.accepted().count() == 2
    page.goto(f"{base}{partnership.get_absolute_url()}")

    page.get_by_role("link", name=t("Parties and people")).click()
    axe_check(page, "parties and people")
    page.locator("#id_rep-organisation").select_option(str(world.a.org.pk))
    page.locator("#id_rep-user").select_option(str(world.a.admin.pk))
    page.locator("#id_rep-level").select_option("strategic")
    submit(page, "Add representative")
    assert partnership.representatives.count() == 1

    # A written agreement, sent for signature.
    page.goto(f"{base}{partnership.get_absolute_url()}")
    page.get_by_role("link", name=t("New agreement")).click()
    axe_check(page, "new agreement form")
    page.locator("#id_title").fill("Samarbeidsavtale helse")
    page.locator("#id_purpose").fill("Felles plan for fagskoleutdanning")
    page.locator("#id_meeting_cadence").select_option("quarterly")
    page.locator("#id_starts_on").fill(str(date.today() - timedelta(days=1)))
    page.locator("#id_ends_on").fill(str(date.today() + timedelta(days=730)))
    page.locator(f"#id_commitment_{world.a.org.pk}").fill("Frikjøper ansatte")
    page.locator(f"#id_commitment_{world.b.org.pk}").fill("Tilbyr studieplasser")
    submit(page, "Save")
    agreement = Agreement.objects.get()
    submit(page, "Send for signature")
    agreement.refresh_from_db()
    assert agreement.status == "sent"
    axe_check(page, "agreement sent")

    # The administrators of both parties sign, each in their own browser.
    for side in (world.a, world.b):
        other = new_context().new_page()
        login(other, side.admin)
        other.goto(f"{base}{agreement.get_absolute_url()}")
        axe_check(other, f"agreement with sign form ({side.org.name})")
        other.locator("#id_organisation").select_option(str(side.org.pk))
        submit(other, "Sign the agreement")
        assert other.get_by_text(t("You have signed the agreement.")).is_visible()
    agreement.refresh_from_db()
    assert agreement.status == "active"
    assert agreement.current.signatures.count() == 2

    # Editing the signed agreement makes version 2; compare the two.
    page.goto(f"{base}/collaboration/agreements/{agreement.pk}/edit/")
    axe_check(page, "edit signed agreement")
    page.locator("#id_purpose").fill("Felles plan for fagskoleutdanning og praksis")
    submit(page, "Save")
    assert agreement.versions.count() == 2
    page.get_by_role("link", name=t("Compare versions")).click()
    axe_check(page, "compare versions")
    assert page.locator("ins").first.inner_text().endswith("og praksis")
    page.goto(f"{base}/collaboration/agreements/{agreement.pk}/document/?version=1")
    axe_check(page, "printable agreement")

    # A forum, a held meeting with minutes, and an action item.
    page.goto(f"{base}{partnership.get_absolute_url()}")
    page.get_by_role("link", name=t("New forum")).click()
    axe_check(page, "new forum form")
    page.locator("#id_name").fill("Samarbeidsforum helse")
    page.locator("#id_mandate").fill("Følge opp avtalen")
    page.locator("#id_cadence").select_option("quarterly")
    submit(page, "Save")
    axe_check(page, "forum detail")
    page.get_by_role("link", name=t("New meeting")).click()
    axe_check(page, "new meeting form")
    page.locator("#id_title").fill("Første møte")
    # A meeting that ends before it starts is refused with a message, and nothing is saved.
    page.locator("#id_starts_at").fill("2030-03-01T12:00")
    page.locator("#id_ends_at").fill("2030-03-01T10:00")
    submit(page, "Save")
    assert page.locator("#id_ends_at[aria-invalid=true]").count() == 1
    axe_check(page, "meeting form with an error")
    page.locator("#id_ends_at").fill("2030-03-01T14:00")
    page.locator("#id_status").select_option("held")
    page.locator("#id_minutes").fill("Partene ble enige om en felles plan.")
    submit(page, "Save")
    meeting = Meeting.objects.get()
    assert meeting.status == "held"
    axe_check(page, "meeting detail")
    page.locator("#id_action-title").fill("Lage behovsoversikt")
    page.locator("#id_action-owner").select_option(str(world.b.editor.pk))
    page.locator("#id_action-due_on").fill(str(date.today() + timedelta(days=14)))
    submit(page, "Add action")
    action = ActionItem.objects.get()
    assert action.owner == world.b.editor and action.meeting == meeting
    assert page.get_by_role("row", name="Lage behovsoversikt").is_visible()
    axe_check(page, "meeting with an action")

    # The owner completes the action.
    owner = new_context().new_page()
    login(owner, world.b.editor)
    owner.goto(f"{base}{meeting.get_absolute_url()}")
    owner.get_by_role("button", name="Lage behovsoversikt").click()
    owner.wait_for_load_state()
    action.refresh_from_db()
    assert action.status == "done"

    for path, label in [
        ("/collaboration/", "collaboration index"),
        ("/collaboration/notifications/", "notifications"),
        ("/collaboration/calendars/", "calendar feeds"),
        ("/collaboration/structure-types/", "structure types"),
        (f"/collaboration/organisations/{world.a.org.pk}/", "organisation overview"),
        (f"/collaboration/partnerships/{partnership.pk}/edit/", "edit partnership"),
    ]:
        page.goto(base + path)
        axe_check(page, label)
    page.goto(f"{base}/collaboration/calendars/")
    submit(page, "Make a calendar link")
    assert "/collaboration/ical/" in page.locator(".yb-secret").inner_text()
    axe_check(page, "calendar link shown")


def test_county_overview_network(
    world: World, page: Any, login: Any, axe_check: Any, live_server: Any
) -> None:
    from yrkesbro.accounts.models import Membership
    from yrkesbro.collaboration.services import partnerships
    from yrkesbro.testing import CountyFactory

    county = CountyFactory(name="Testfylket")
    world.a.org.county = county
    world.a.org.save()
    Membership.objects.create(user=world.a.admin, organisation=county, role="admin")
    p = partnerships.partnership_create(
        actor=world.a.editor,
        data={"name": "Nettverk A–B", "purpose": "x"},
        organisations=[world.a.org, world.b.org],
    )
    partnerships.party_accept(actor=world.b.admin, party=p.parties.get(organisation=world.b.org))
    login(page, world.a.admin)
    page.goto(f"{live_server.url}/collaboration/counties/{county.pk}/")
    assert page.locator("svg.yb-network line").count() == 1
    axe_check(page, "county overview")


def test_county_overview_being_updated_at_two_widths(
    world: World, page: Any, login: Any, axe_check: Any, live_server: Any, monkeypatch: Any
) -> None:
    """At national scale an out-of-date overview says when its figures are from and that new
    ones are on their way; no sideways scrolling at 320 or 1280 px."""
    from pathlib import Path

    from yrkesbro.accounts.models import Membership
    from yrkesbro.collaboration import selectors
    from yrkesbro.collaboration.services import partnerships
    from yrkesbro.testing import CountyFactory

    monkeypatch.setattr(selectors, "LIVE_MAX_PARTNERSHIPS", 0)
    county = CountyFactory(name="Testfylket")
    world.a.org.county = county
    world.a.org.save()
    Membership.objects.create(user=world.a.admin, organisation=county, role="admin")
    login(page, world.a.admin)
    shots = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/collaboration/counties/{county.pk}/")  # current
        partnerships.partnership_create(
            actor=world.a.editor,
            data={"name": f"Nytt samarbeid {width}", "purpose": "x"},
            organisations=[world.a.org, world.b.org],
        )
        page.goto(f"{live_server.url}/collaboration/counties/{county.pk}/")
        assert "blir beregnet i bakgrunnen" in page.content()
        axe_check(page, f"county overview being updated at {width} px")
        assert not page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        ), f"scrolls sideways at {width} px"
        page.screenshot(path=str(shots / f"county-overview-updating-{width}.png"))
