"""Partnerships: creation rules, people, anchoring warnings and what outsiders see."""

from __future__ import annotations

import pytest
from django.utils import translation

from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.models import Partnership, StructureType
from yrkesbro.collaboration.services import agreements, meetings
from yrkesbro.collaboration.services import partnerships as services
from yrkesbro.core.errors import DomainError, NotAllowed, NotFound
from yrkesbro.testing import PASSWORD, CountyFactory, MembershipFactory


def test_needs_two_organisations(world):
    with pytest.raises(DomainError, match="at least two"):
        services.partnership_create(
            actor=world.a.editor,
            data={"name": "Solo", "purpose": "x"},
            organisations=[world.a.org, world.a.org],
        )
    assert not Partnership.objects.exists()


def test_outsider_and_viewer_cannot_create(world):
    for user in (world.outsider, world.a.viewer):
        with pytest.raises(NotAllowed):
            services.partnership_create(
                actor=user,
                data={"name": "X", "purpose": "x"},
                organisations=[world.a.org, world.b.org],
            )


def test_representative_must_be_member_of_party(setup):
    w = setup.world
    with pytest.raises(DomainError, match="member of the organisation"):
        services.representative_add(
            actor=w.a.editor,
            partnership=setup.partnership,
            organisation=w.a.org,
            user=w.b.viewer,
            level="strategic",
        )
    rep = services.representative_add(
        actor=w.a.editor,
        partnership=setup.partnership,
        organisation=w.a.org,
        user=w.a.admin,
        level="strategic",
    )
    assert rep.pk


def test_liaison_must_belong_to_two_parties(setup):
    w = setup.world
    with pytest.raises(DomainError, match="at least two"):
        services.liaison_add(actor=w.a.editor, partnership=setup.partnership, user=w.a.viewer)
    MembershipFactory(user=w.a.viewer, organisation=w.b.org)
    assert services.liaison_add(actor=w.a.editor, partnership=setup.partnership, user=w.a.viewer)


def test_anchoring_warning_until_both_levels_for_each_party(setup):
    w, p = setup.world, setup.partnership
    health = selectors.health_for([p])[p.pk]
    assert len(health.missing) == 4 and not health.anchored
    for side in (w.a, w.b):
        services.representative_add(
            actor=w.a.editor,
            partnership=p,
            organisation=side.org,
            user=side.admin,
            level="strategic",
        )
        services.representative_add(
            actor=w.a.editor,
            partnership=p,
            organisation=side.org,
            user=side.editor,
            level="operational",
        )
    assert selectors.health_for([p])[p.pk].anchored


def test_health_counts_each_forum_and_names_the_agreement_in_force(setup):
    w, p = setup.world, setup.partnership
    # A second forum with the same cadence and start as the first is still a forum of its own.
    meetings.forum_create(
        actor=w.a.editor,
        partnership=p,
        data={
            "name": "Arbeidsgruppe",
            "mandate": "Praksis",
            "cadence": setup.forum.cadence,
            "started_on": setup.forum.started_on,
        },
        people=[w.a.viewer],
    )
    health = selectors.health_for([p])[p.pk]
    assert (health.forums, health.held, health.expected) == (2, 1, 8)
    assert health.last_meeting == setup.meeting.starts_at
    assert health.agreement_status == ""
    setup.agreement()  # a draft, still in force
    newer = setup.agreement()
    agreements.agreement_terminate(actor=w.a.admin, agreement=newer)
    with translation.override("en"):
        health = selectors.health_for([p])[p.pk]
    assert (health.agreement_status, health.agreement_label) == ("draft", "Draft")


def test_lists_name_the_parties_in_the_order_of_their_names(setup):
    """The lean party lists (the index's public list, the county overview, the health
    warnings) keep the model's order: by organisation name."""
    w, p = setup.world, setup.partnership
    county = CountyFactory(name="Aaa fylke")  # first by name, last by id
    admin = MembershipFactory(organisation=county, role="admin").user
    party = services.party_add(actor=w.a.editor, partnership=p, organisation=county)
    services.party_accept(actor=admin, party=party)
    listed = selectors.public_partnerships().get(pk=p.pk)
    names = [party.organisation.name for party in listed.parties.all()]
    assert names == sorted(names) and names[0] == "Aaa fylke"
    missing = selectors.health_for([p])[p.pk].missing
    assert missing[0].startswith("Aaa fylke")


def test_anchoring_warning_shown_on_page(client, setup):
    client.login(username=setup.world.a.viewer.username, password=PASSWORD)
    page = client.get(setup.partnership.get_absolute_url()).content.decode()
    assert "Anchoring is incomplete" in page or "Forankring" in page


def test_public_partnership_shows_existence_not_purpose(client, setup):
    client.login(username=setup.world.outsider.username, password=PASSWORD)
    page = client.get(setup.partnership.get_absolute_url())
    assert page.status_code == 200
    assert "Alfa–Beta" in page.content.decode()
    assert "Kompetanse i helse" not in page.content.decode()


def test_private_partnership_is_404_for_outsiders(client, setup):
    setup.partnership.is_public = False
    setup.partnership.save()
    client.login(username=setup.world.outsider.username, password=PASSWORD)
    assert client.get(setup.partnership.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(setup.partnership.get_absolute_url()).status_code == 404


def test_outsider_cannot_change_partnership(setup):
    with pytest.raises(NotFound):
        services.partnership_update(
            actor=setup.world.outsider, partnership=setup.partnership, data={"name": "Hack"}
        )
    with pytest.raises(NotAllowed):
        services.partnership_update(
            actor=setup.world.b.viewer, partnership=setup.partnership, data={"name": "Hack"}
        )
    setup.partnership.refresh_from_db()
    assert setup.partnership.name == "Alfa–Beta"


def test_structure_type_by_county_sets_bindingness(world):
    county = CountyFactory()
    MembershipFactory(user=world.a.editor, organisation=county, role="editor")
    st = services.structure_type_create(
        actor=world.a.editor, owner=county, name="Programområderåd", bindingness="written"
    )
    p = services.partnership_create(
        actor=world.a.editor,
        data={"name": "Råd", "purpose": "x", "structure_type": st},
        organisations=[world.a.org, world.b.org],
    )
    assert p.bindingness == "written"
    with pytest.raises(DomainError):
        services.structure_type_create(
            actor=world.a.editor, owner=world.a.org, name="X", bindingness="informal"
        )
    with pytest.raises(NotAllowed):
        services.structure_type_create(
            actor=world.b.admin, owner=county, name="X", bindingness="informal"
        )
    assert StructureType.objects.count() == 1


def test_create_partnership_through_the_form(client, world):
    client.login(username=world.a.editor.username, password=PASSWORD)
    response = client.post(
        "/collaboration/partnerships/new/",
        {
            "own": world.a.org.pk,
            "partners": [world.b.org.pk],
            "name": "Ny",
            "purpose": "Formål",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    p = Partnership.objects.get(name="Ny")
    assert set(p.organisations.values_list("pk", flat=True)) == {world.a.org.pk, world.b.org.pk}


def test_contact_log_and_timeline(client, setup):
    from datetime import date, timedelta

    from yrkesbro.collaboration.models import ContactEntry

    w, p = setup.world, setup.partnership
    with pytest.raises(DomainError, match="future"):
        services.contact_log(
            actor=w.a.editor,
            partnership=p,
            kind="call",
            happened_on=date.today() + timedelta(days=1),
            summary="x",
        )
    with pytest.raises(NotAllowed):
        services.contact_log(
            actor=w.b.viewer, partnership=p, kind="call", happened_on=date.today(), summary="x"
        )
    with pytest.raises(NotFound):
        services.contact_log(
            actor=w.outsider, partnership=p, kind="call", happened_on=date.today(), summary="x"
        )
    client.login(username=w.b.editor.username, password=PASSWORD)
    client.post(
        f"/collaboration/partnerships/{p.pk}/contacts/",
        {"kind": "call", "happened_on": str(date.today()), "summary": "Ringte om praksis"},
    )
    assert ContactEntry.objects.get().author == w.b.editor
    items = selectors.timeline(p)
    assert [i.text.split(" (")[0] for i in items] == ["Ringte om praksis", "Møte 1"]
    page = client.get(p.get_absolute_url()).content.decode()
    assert "Ringte om praksis" in page
    client.logout()
    client.login(username=w.outsider.username, password=PASSWORD)
    assert "Ringte om praksis" not in client.get(p.get_absolute_url()).content.decode()
