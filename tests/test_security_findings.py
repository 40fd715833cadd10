"""Regression tests for the findings of issue 14 (security hardening), one block each.

Finding 1 (partnership consent) lives in ``collaboration/tests/test_consent.py``
and the permission matrix; finding 5 (export formula injection) belongs to the
export sanitiser's own tests.
"""

from __future__ import annotations

import datetime as dt
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from yrkesbro.collaboration.models import Meeting, StructureType
from yrkesbro.collaboration.services import agreements, meetings, partnerships
from yrkesbro.collaboration.tasks import send_due_reminders
from yrkesbro.core.errors import DomainError

pytestmark = pytest.mark.django_db

BAD_TITLES = ["Møte\nBcc: alle@example.test", "Møte\r\n", "Møte\x00", "Møte\x1b[31m"]


@pytest.fixture
def partnership(world):  # type: ignore[no-untyped-def]
    p = partnerships.partnership_create(
        actor=world.a.editor,
        data={"name": "Alfa–Beta", "purpose": "Kompetanse"},
        organisations=[world.a.org, world.b.org],
    )
    partnerships.party_accept(actor=world.b.admin, party=p.parties.get(organisation=world.b.org))
    return p


@pytest.fixture
def forum(world, partnership):  # type: ignore[no-untyped-def]
    return meetings.forum_create(
        actor=world.a.editor,
        partnership=partnership,
        data={"name": "Forum", "mandate": "Følge opp", "cadence": "quarterly"},
        people=[world.a.viewer, world.b.viewer],
    )


def _meeting_data(title: str = "Møte", start: dt.datetime | None = None) -> dict:
    start = start or timezone.now() + timedelta(hours=3)
    return {"title": title, "starts_at": start, "ends_at": start + timedelta(hours=1)}


# Finding 3: a newline in a title ------------------------------------------------


@pytest.mark.parametrize("title", BAD_TITLES)
def test_titles_with_control_characters_are_refused(world, partnership, forum, title):
    with pytest.raises(DomainError) as exc:
        meetings.meeting_create(actor=world.a.editor, forum=forum, data=_meeting_data(title))
    assert exc.value.field == "title"
    with pytest.raises(DomainError):
        agreements.agreement_create(
            actor=world.a.editor,
            partnership=partnership,
            title=title,
            data={
                "purpose": "x",
                "starts_on": dt.date.today(),
                "ends_on": dt.date.today() + timedelta(days=30),
            },
        )
    meeting = meetings.meeting_create(actor=world.a.editor, forum=forum, data=_meeting_data())
    with pytest.raises(DomainError):
        meetings.action_create(
            actor=world.a.editor,
            meeting=meeting,
            title=title,
            owner=world.a.viewer,
            due_on=dt.date.today(),
        )
    with pytest.raises(DomainError):
        meetings.forum_update(actor=world.a.editor, forum=forum, data={"name": title})
    with pytest.raises(DomainError):
        partnerships.partnership_update(
            actor=world.a.editor, partnership=partnership, data={"name": title}
        )
    from yrkesbro.organisations import services as org_services

    with pytest.raises(DomainError):
        org_services.organisation_update(
            actor=world.a.admin, organisation=world.a.org, data={"name": title}
        )
    # Only the one good meeting was stored (no filter on the bad title: PostgreSQL
    # refuses a NUL byte even in a query).
    assert list(Meeting.objects.filter(forum=forum).values_list("title", flat=True)) == ["Møte"]


def test_one_bad_item_does_not_stop_the_reminder_sweep(
    world, forum, caplog, django_capture_on_commit_callbacks
):
    """A title stored before the checks existed (or by a bug) must not block the rest."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bad = meetings.meeting_create(actor=world.a.editor, forum=forum, data=_meeting_data())
        good = meetings.meeting_create(
            actor=world.a.editor, forum=forum, data=_meeting_data("Godt møte")
        )
    Meeting.objects.filter(pk=bad.pk).update(title="Dårlig\nBcc: x@example.test")
    from yrkesbro.collaboration.models import Notification

    Notification.objects.all().delete()
    mail.outbox.clear()

    def broken_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("mail server said no")

    import yrkesbro.collaboration.tasks as tasks

    original = tasks._meeting_people

    def people(meeting):  # type: ignore[no-untyped-def]
        if meeting.pk == bad.pk:
            broken_once()
        return original(meeting)

    tasks._meeting_people = people
    try:
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            sent = send_due_reminders()
    finally:
        tasks._meeting_people = original
    assert sent >= 2
    assert any("Godt møte" in m.subject for m in mail.outbox)
    assert "Reminder sweep" in caplog.text
    assert good.pk != bad.pk


def test_a_newline_title_in_the_database_still_makes_a_valid_subject(
    world, forum, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.meeting_create(actor=world.a.editor, forum=forum, data=_meeting_data())
    Meeting.objects.filter(pk=meeting.pk).update(title="Dårlig\nBcc: x@example.test")
    from yrkesbro.collaboration.models import Notification

    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_due_reminders()
    from yrkesbro.core.outbox import deliver_due

    deliver_due()
    assert sent >= 1 and mail.outbox
    assert all("\n" not in m.subject for m in mail.outbox)


def test_the_daily_sweep_keeps_its_reschedule_when_the_reminders_fail(monkeypatch):
    # The reminders run in the worker's one daily sweep (no private chain of their own):
    # a failing reminder sweep is logged, the other jobs run, and tomorrow stays scheduled.
    import yrkesbro.collaboration.tasks as tasks
    from yrkesbro.core import tasks as core_tasks

    scheduled = []
    monkeypatch.setattr(core_tasks, "enqueue_daily", lambda when: scheduled.append(when))

    def fail(now=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(tasks, "send_due_reminders", fail)
    results = core_tasks.daily_sweep.func(reschedule=True)
    assert results["yrkesbro.collaboration.tasks.reminder_sweep"] == "failed: RuntimeError"
    assert results["yrkesbro.core.tasks.prune_idempotency"] is not None
    assert len(scheduled) == 1


# Finding 4: server errors from input ---------------------------------------------


def test_structure_types_page_with_demo_data_anonymously(client):
    from yrkesbro.core.demo import load_demo

    load_demo()
    assert StructureType.objects.filter(owner__isnull=False).exists()
    partnership = partnerships.Partnership.objects.filter(is_demo=True, is_public=True).first()
    StructureType.objects.create(name="Eget", partnership=partnership)
    response = client.get("/collaboration/structure-types/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Partnerskapsavtale (demo)" in body and "Eget" in body


@pytest.mark.parametrize("field", ["representative", "liaison", "party"])
@pytest.mark.parametrize("value", ["abc", "1e3", "99999999999999999999999", "-1", ""])
def test_people_removal_form_refuses_malformed_ids(client, world, partnership, field, value):
    client.force_login(world.a.editor)
    response = client.post(
        f"/collaboration/partnerships/{partnership.pk}/people/remove/", {field: value}
    )
    assert response.status_code in (400, 404)


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.timezone(timedelta(hours=5))),
        dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(timedelta(hours=-5))),
        dt.datetime(9999, 12, 31, 12, 0, tzinfo=dt.UTC),
    ],
)
def test_meetings_out_of_range_are_refused(world, forum, when):
    with pytest.raises(DomainError) as exc:
        meetings.meeting_create(
            actor=world.a.editor,
            forum=forum,
            data={"title": "Langt unna", "starts_at": when, "ends_at": when},
        )
    assert exc.value.code == "date_out_of_range"


def test_meeting_dates_over_the_api_answer_a_message(client, world, forum):
    client.force_login(world.a.editor)
    for start in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"):
        response = client.post(
            "/api/v1/meetings",
            {"forum_id": forum.pk, "title": "x", "starts_at": start, "ends_at": start},
            content_type="application/json",
        )
        assert 400 <= response.status_code < 500, response.content
        assert response.json()["message"]


def test_a_forum_with_a_meeting_in_year_9999_still_plans(client, world, forum):
    far = dt.datetime(9999, 12, 31, 10, 0, tzinfo=dt.UTC)
    Meeting.objects.create(
        forum=forum, title="Fjernt", starts_at=far, ends_at=far + timedelta(hours=1)
    )
    client.force_login(world.a.editor)
    assert client.get(forum.get_absolute_url()).status_code == 200
    response = client.post(f"/collaboration/forums/{forum.pk}/plan/")
    assert response.status_code in (200, 302)
    assert meetings.forum_plan_meetings(actor=world.a.editor, forum=forum) == 0
    assert forum.meetings.filter(starts_at__year=timezone.now().year + 1).exists()


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/programmes?school={HUGE}",
        f"/api/v1/plans?organisation={HUGE}",
        f"/api/v1/needs?county={HUGE}",
        f"/api/v1/partnerships/{HUGE}",
        f"/api/v1/meetings?forum_id={HUGE}",
    ],
)
def test_huge_ids_in_the_api_are_client_errors(client, world, url):
    client.force_login(world.a.admin)
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)


def test_huge_ids_in_api_bodies_are_client_errors(client, world):
    client.force_login(world.a.editor)
    response = client.post(
        "/api/v1/partnerships",
        {"name": "x", "purpose": "y", "organisation_ids": [world.a.org.pk, int(HUGE)]},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content


# Finding 6: private drafts leak through shared plans -----------------------------


def test_shared_plans_show_only_readable_needs(client, world):
    from yrkesbro.catalogue.reference import load_national_plans
    from yrkesbro.needs import services as need_services
    from yrkesbro.needs.models import Visibility
    from yrkesbro.taxonomy.reference import load_competence_areas

    load_national_plans()
    load_competence_areas()

    def need(visibility: str, publish: bool = False):  # type: ignore[no-untyped-def]
        n = need_services.need_create(
            actor=world.a.editor,
            organisation=world.a.org,
            data={
                "unit": f"Enhet {visibility}",
                "service_area": "health",
                "people": 3,
                "deadline": timezone.localdate() + timedelta(days=200),
                "urgency": "high",
                "visibility": visibility,
            },
            area_codes=["demens"],
        )
        return need_services.need_publish(actor=world.a.editor, need=n) if publish else n

    shared = need(Visibility.PRIVATE, publish=True)
    private = need(Visibility.PRIVATE)
    internal = need(Visibility.INTERNAL)
    plan = need_services.plan_create(
        actor=world.a.editor,
        organisation=world.a.org,
        data={"title": "Plan", "start_year": 2026, "end_year": 2028, "visibility": "shared"},
    )
    need_services.plan_set_needs(
        actor=world.a.editor, plan=plan, need_ids=[shared.pk, private.pk, internal.pk]
    )
    client.force_login(world.b.admin)
    body = client.get(f"/api/v1/plans/{plan.pk}").json()
    assert body["needs"] == [shared.pk]
    listed = client.get("/api/v1/plans").json()["items"]
    assert [p["needs"] for p in listed if p["id"] == plan.pk] == [[shared.pk]]
    from yrkesbro.needs.selectors import plan_list

    assert plan_list(actor=world.b.admin).get(pk=plan.pk).need_count == 1
    assert plan_list(actor=world.a.viewer).get(pk=plan.pk).need_count == 2
    assert plan_list(actor=world.a.editor).get(pk=plan.pk).need_count == 3
