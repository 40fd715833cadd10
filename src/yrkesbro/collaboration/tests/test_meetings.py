"""Forums and meetings: times, planning from the cadence, cadence kept, actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.models import ActionStatus, Meeting
from yrkesbro.collaboration.services import meetings as services
from yrkesbro.core.errors import DomainError, NotAllowed, NotFound
from yrkesbro.testing import PASSWORD


def test_meeting_ending_before_it_starts(setup):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(DomainError, match="end after"):
        services.meeting_create(
            actor=setup.world.a.editor,
            forum=setup.forum,
            data={"title": "Feil", "starts_at": start, "ends_at": start - timedelta(hours=1)},
        )
    assert not Meeting.objects.filter(title="Feil").exists()


def test_meeting_form_shows_error(client, setup):
    client.login(username=setup.world.a.editor.username, password=PASSWORD)
    response = client.post(
        f"/collaboration/forums/{setup.forum.pk}/meetings/new/",
        {
            "title": "Feil",
            "starts_at": "2030-01-10T12:00",
            "ends_at": "2030-01-10T10:00",
            "status": "planned",
        },
    )
    assert response.status_code == 400
    assert "aria-invalid" in response.content.decode()
    assert not Meeting.objects.filter(title="Feil").exists()


def test_plan_meetings_from_cadence_is_idempotent(setup):
    created = services.forum_plan_meetings(actor=setup.world.a.editor, forum=setup.forum)
    assert created == 4
    assert services.forum_plan_meetings(actor=setup.world.a.editor, forum=setup.forum) == 0
    with pytest.raises(NotAllowed):
        services.forum_plan_meetings(actor=setup.world.a.viewer, forum=setup.forum)


def test_cadence_kept(setup):
    pulse = selectors.forum_pulse(setup.forum)
    assert pulse.expected == 4 and pulse.held == 1 and not pulse.kept
    for months in (3, 6, 9):
        start = timezone.now() - timedelta(days=30 * months)
        services.meeting_create(
            actor=setup.world.a.editor,
            forum=setup.forum,
            data={
                "title": "M",
                "starts_at": start,
                "ends_at": start + timedelta(hours=1),
                "status": "held",
            },
        )
    assert selectors.forum_pulse(setup.forum).kept


def test_action_owner_may_complete_viewer_may_not(setup):
    w = setup.world
    action = services.action_create(
        actor=w.a.editor,
        meeting=setup.meeting,
        title="Lage plan",
        owner=w.b.viewer,
        due_on=date.today() + timedelta(days=7),
    )
    with pytest.raises(NotAllowed):
        services.action_set_status(actor=w.a.viewer, action=action, status="done")
    with pytest.raises(NotFound):
        services.action_set_status(actor=w.outsider, action=action, status="done")
    services.action_set_status(actor=w.b.viewer, action=action, status="done")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_at


def test_action_owner_must_belong_to_a_party(setup):
    with pytest.raises(DomainError, match="owner"):
        services.action_create(
            actor=setup.world.a.editor,
            meeting=setup.meeting,
            title="X",
            owner=setup.world.outsider,
            due_on=date.today(),
        )


def test_outsider_reading_minutes_gets_404(client, setup):
    client.login(username=setup.world.outsider.username, password=PASSWORD)
    response = client.get(setup.meeting.get_absolute_url())
    assert response.status_code == 404
    assert "Hemmelig referat" not in response.content.decode()
    assert client.get(setup.forum.get_absolute_url()).status_code == 404
