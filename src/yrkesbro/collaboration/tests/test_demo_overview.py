"""The demo holds structures with a year of history; the overviews show who keeps cadence."""

from __future__ import annotations

import pytest

from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.demo import load
from yrkesbro.collaboration.models import Meeting, Partnership
from yrkesbro.core.demo import load_demo
from yrkesbro.organisations.models import Organisation
from yrkesbro.testing import PASSWORD


@pytest.fixture
def demo(db):
    load_demo()


def test_demo_is_idempotent_and_mixed(demo):
    count = Partnership.objects.count()
    meetings = Meeting.objects.count()
    load()
    assert Partnership.objects.count() == count >= 4 and Meeting.objects.count() == meetings
    rows = selectors.with_health(Partnership.objects.filter(is_demo=True))
    kept = {p.name: h.cadence_kept for p, h in rows}
    assert True in kept.values() and False in kept.values()
    assert any(not h.anchored for _p, h in rows)


def test_county_overview_with_network(client, demo):
    from yrkesbro.accounts.models import User

    user = User.objects.get(username="demo-fylke")
    user.set_password(PASSWORD)
    user.save()
    client.login(username="demo-fylke", password=PASSWORD)
    county = Organisation.objects.get(kind="county", number="34")
    page = client.get(f"/collaboration/counties/{county.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Programområderåd helse- og oppvekstfag Innlandet" in html
    assert "Gjøvik kommune" in html
    filtered = client.get(f"/collaboration/counties/{county.pk}/?cadence=kept").content.decode()
    assert "Programområderåd helse- og oppvekstfag Innlandet" not in filtered.split("<svg")[0]
    from yrkesbro.collaboration.models import StructureType

    council = StructureType.objects.get(name="Programområderåd (demo)")
    only = client.get(f"/collaboration/counties/{county.pk}/?structure_type={council.pk}")
    table = only.content.decode().split("<svg")[0]
    assert "Programområderåd helse- og oppvekstfag Innlandet" in table
    assert "Gjøvik vgs og Mjøsa Omsorg" not in table
    # Outsiders to the county get 404; a municipality is not a county.
    gjovik = Organisation.objects.get(kind="municipality", number="3407")
    assert client.get(f"/collaboration/counties/{gjovik.pk}/").status_code == 404
    client.logout()
    client.login(username="demo-kommune", password="yrkesbro-demo")
    assert client.get(f"/collaboration/counties/{county.pk}/").status_code == 404
    page = client.get(f"/collaboration/organisations/{gjovik.pk}/").content.decode()
    assert "Fagskolen Innlandet" in page
