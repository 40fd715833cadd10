"""Issue 14, finding 1: an organisation takes part in a partnership only once it has agreed.

Until an admin there accepts, its people are in no picker, cannot be put in a
forum, meeting or agreement, and are never e-mailed.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.forms import ForumForm, RepresentativeForm
from yrkesbro.collaboration.models import PartnershipParty, PartyStatus
from yrkesbro.collaboration.services import agreements, meetings, partnerships
from yrkesbro.collaboration.tasks import send_due_reminders
from yrkesbro.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(world):  # type: ignore[no-untyped-def]
    """Alfa's editor starts a partnership with Beta, which is only invited."""
    return partnerships.partnership_create(
        actor=world.a.editor,
        data={"name": "Alfa–Beta", "purpose": "Hemmelig formål 4711"},
        organisations=[world.a.org, world.b.org],
    )


def _forum_data() -> dict:
    return {"name": "Forum", "mandate": "Følge opp", "cadence": "quarterly"}


def test_other_organisation_is_only_invited(world, invited):
    statuses = dict(invited.parties.values_list("organisation_id", "status"))
    assert statuses == {world.a.org.pk: PartyStatus.ACCEPTED, world.b.org.pk: PartyStatus.INVITED}
    assert set(PartnershipParty.objects.accepted().values_list("organisation_id", flat=True)) == {
        world.a.org.pk
    }


def test_invited_people_are_in_no_picker(world, invited):
    people = set(selectors.pickable_people(invited))
    assert world.a.viewer in people
    assert not {world.b.admin, world.b.editor, world.b.viewer} & people
    rep_form = RepresentativeForm(partnership=invited)
    assert world.b.viewer not in rep_form.fields["user"].queryset  # type: ignore[attr-defined]
    assert world.b.org not in rep_form.fields["organisation"].queryset  # type: ignore[attr-defined]
    forum_form = ForumForm(partnership=invited)
    assert world.b.viewer not in forum_form.fields["people"].queryset  # type: ignore[attr-defined]


def test_invited_people_cannot_be_put_in_a_forum_or_agreement(world, invited):
    with pytest.raises(DomainError):
        meetings.forum_create(
            actor=world.a.editor, partnership=invited, data=_forum_data(), people=[world.b.viewer]
        )
    with pytest.raises(DomainError):
        meetings.forum_create(
            actor=world.a.editor,
            partnership=invited,
            data=_forum_data(),
            organisations=[world.b.org],
        )
    with pytest.raises(DomainError):
        agreements.agreement_create(
            actor=world.a.editor,
            partnership=invited,
            title="Avtale",
            data={
                "purpose": "x",
                "starts_on": date.today(),
                "ends_on": date.today() + timedelta(days=30),
            },
            commitments={world.b.org.pk: "Beta lover noe"},
        )
    # The default forum members are the accepted parties only.
    forum = meetings.forum_create(actor=world.a.editor, partnership=invited, data=_forum_data())
    assert list(forum.organisations.all()) == [world.a.org]


def test_invited_organisation_sees_nothing_inside(world, invited, client):
    client.force_login(world.b.admin)
    # Public part only: purpose, people and forums stay with the parties.
    response = client.get(invited.get_absolute_url())
    assert response.status_code == 200
    assert "Hemmelig formål 4711" not in response.content.decode()
    assert client.get(f"/collaboration/partnerships/{invited.pk}/people/").status_code == 404


def test_nobody_in_an_invited_organisation_is_emailed(
    world, invited, django_capture_on_commit_callbacks
):
    forum = meetings.forum_create(
        actor=world.a.editor, partnership=invited, data=_forum_data(), people=[world.a.viewer]
    )
    # Put Beta's viewer there behind the services' back: the sweep still leaves them out.
    forum.people.add(world.b.viewer)
    start = timezone.now() + timedelta(hours=3)
    mail.outbox.clear()
    # Tasks run at once in tests: creating the meeting runs the reminder sweep.
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_create(
            actor=world.a.editor,
            forum=forum,
            data={"title": "Møte", "starts_at": start, "ends_at": start + timedelta(hours=1)},
        )
        send_due_reminders()
    recipients = {to for m in mail.outbox for to in m.to}
    assert world.a.viewer.email in recipients
    assert world.b.viewer.email not in recipients


def test_accept_makes_people_pickable_and_decline_does_not(world, invited):
    party = invited.parties.get(organisation=world.b.org)
    partnerships.party_accept(actor=world.b.admin, party=party)
    assert world.b.viewer in set(selectors.pickable_people(invited))
    forum = meetings.forum_create(
        actor=world.a.editor, partnership=invited, data=_forum_data(), people=[world.b.viewer]
    )
    assert world.b.viewer in forum.people.all()

    other = partnerships.partnership_create(
        actor=world.a.editor,
        data={"name": "Nei takk", "purpose": "x"},
        organisations=[world.a.org, world.b.org],
    )
    partnerships.party_decline(
        actor=world.b.admin, party=other.parties.get(organisation=world.b.org)
    )
    assert world.b.viewer not in set(selectors.pickable_people(other))
    with pytest.raises(DomainError):
        partnerships.party_accept(
            actor=world.b.admin, party=other.parties.get(organisation=world.b.org)
        )


def test_a_party_can_leave_and_its_people_leave_the_forums(world, invited):
    party = invited.parties.get(organisation=world.b.org)
    partnerships.party_accept(actor=world.b.admin, party=party)
    forum = meetings.forum_create(
        actor=world.a.editor,
        partnership=invited,
        data=_forum_data(),
        people=[world.a.viewer, world.b.viewer],
    )
    partnerships.representative_add(
        actor=world.a.editor,
        partnership=invited,
        organisation=world.b.org,
        user=world.b.viewer,
        level="strategic",
    )
    partnerships.party_leave(actor=world.b.admin, partnership=invited, organisation=world.b.org)
    assert not invited.parties.filter(organisation=world.b.org).exists()
    assert list(forum.people.all()) == [world.a.viewer]
    assert not invited.representatives.filter(organisation=world.b.org).exists()


def test_inbox_accept_over_http(world, invited, client):
    party = invited.parties.get(organisation=world.b.org)
    answer_url = f"/collaboration/invitations/{party.pk}/answer/"
    client.force_login(world.b.editor)
    assert answer_url not in client.get("/collaboration/").content.decode()
    client.force_login(world.b.admin)
    page = client.get("/collaboration/").content.decode()
    assert "Alfa–Beta" in page and answer_url in page
    response = client.post(f"/collaboration/invitations/{party.pk}/answer/", {"answer": "accept"})
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.status == PartyStatus.ACCEPTED
    # Answered invitations leave the inbox; a second answer finds nothing.
    again = client.post(f"/collaboration/invitations/{party.pk}/answer/", {"answer": "decline"})
    assert again.status_code == 404


def test_withdrawing_an_invitation(world, invited):
    partnerships.party_remove(actor=world.a.editor, partnership=invited, organisation=world.b.org)
    assert not invited.parties.filter(organisation=world.b.org).exists()


def test_demo_goes_through_invitations(db):
    from yrkesbro.collaboration.models import Partnership
    from yrkesbro.core.demo import load_demo

    load_demo()
    demo = Partnership.objects.filter(is_demo=True)
    assert demo.exists()
    accepted = PartnershipParty.objects.accepted().filter(partnership__in=demo)
    assert accepted.filter(answered_at__isnull=False).exists()
    # One invitation stays open for the company administrator's inbox.
    from yrkesbro.accounts.models import User

    company_admin = User.objects.get(username="demo-bedrift")
    assert selectors.invitations_for(company_admin).exists()
