"""The partner and party pickers show at most 20 organisations besides the chosen ones, and
any active organisation can still be chosen."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yrkesbro.collaboration.models import Partnership, PartnershipParty
from yrkesbro.core.pickers import LIMIT
from yrkesbro.organisations.models import Kind
from yrkesbro.testing import PASSWORD, OrganisationFactory

pytestmark = pytest.mark.django_db


def _companies(n: int, start: int = 0) -> list:
    return [
        OrganisationFactory(kind=Kind.COMPANY, name=f"Bedrift {i:03d}") for i in range(start, n)
    ]


def test_partnership_create_shows_a_bounded_partner_picker(client, world) -> None:
    companies = _companies(10)
    client.login(username=world.a.editor.username, password=PASSWORD)
    url = "/collaboration/partnerships/new/"

    def get() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(ctx.captured_queries)

    _, few = get()
    companies += _companies(60, start=10)
    html, many = get()
    assert many == few
    assert len(re.findall(r'type="checkbox" name="partners"', html)) == LIMIT
    assert "Skriv for å finne flere." in html
    last = companies[-1]
    assert f'value="{last.pk}"' not in html
    response = client.post(
        url,
        {
            "own": world.a.org.pk,
            "partners": [last.pk],
            "name": "Med en som ikke ble vist",
            "purpose": "Formål",
        },
    )
    assert response.status_code == 302
    p = Partnership.objects.get(name="Med en som ikke ble vist")
    assert set(p.organisations.values_list("pk", flat=True)) == {world.a.org.pk, last.pk}


def test_partner_search_with_htmx_and_an_inactive_organisation_refused(client, world) -> None:
    _companies(30)
    gone = OrganisationFactory(kind=Kind.COMPANY, name="Bedrift nedlagt", is_active=False)
    client.login(username=world.a.editor.username, password=PASSWORD)
    url = "/collaboration/partnerships/new/"
    response = client.get(
        url, {"picker": "partners", "partners_q": "bedrift 02"}, headers={"HX-Request": "true"}
    )
    labels = re.findall(r'for="id_partners_s\d+">([^<]+)<', response.content.decode())
    assert labels == ["Bedrift 002", *(f"Bedrift {i:03d}" for i in range(20, 30))]
    response = client.post(
        url, {"own": world.a.org.pk, "partners": [gone.pk], "name": "X", "purpose": "Y"}
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()


def test_the_party_picker_searches_and_invites_without_javascript(client, setup) -> None:
    w, p = setup.world, setup.partnership
    companies = _companies(40)
    client.login(username=w.a.editor.username, password=PASSWORD)
    url = f"/collaboration/partnerships/{p.pk}/people/"
    html = client.get(url).content.decode()
    assert len(re.findall(r'type="radio" name="party-organisation" value="\d+"', html)) == LIMIT
    # the no-JS search button: the page again, filtered, nothing saved, not an error
    response = client.post(
        url, {"kind": "party", "picker": "party-organisation", "party-organisation_q": "039"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "ds-error-summary" not in html
    assert re.findall(r'name="party-organisation" value="(\d+)"', html) == [str(companies[39].pk)]
    response = client.post(url, {"kind": "party", "party-organisation": companies[39].pk})
    assert response.status_code == 302
    assert PartnershipParty.objects.filter(partnership=p, organisation=companies[39]).exists()
