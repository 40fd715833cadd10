"""Bad input is refused with a clear message and nothing changes; history and audit are kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from yrkesbro.core.errors import DomainError
from yrkesbro.core.models import AuditEntry
from yrkesbro.needs import services
from yrkesbro.needs.models import Need, NeedStatusChange, Status, Visibility
from yrkesbro.needs.tests.conftest import future, make_need, need_data
from yrkesbro.testing import PASSWORD


@pytest.mark.parametrize(
    ("overrides", "codes", "field"),
    [
        ({"people": -3}, ["demens"], "people"),
        ({"people": 0}, ["demens"], "people"),
        ({"people": 10_001}, ["demens"], "people"),
        ({"people": 10**12}, ["demens"], "people"),
        ({"people": "many"}, ["demens"], "people"),
        ({"deadline": dt.date(2020, 1, 1)}, ["demens"], "deadline"),
        ({"deadline": "not a date"}, ["demens"], "deadline"),
        ({"deadline": dt.date(2999, 1, 1)}, ["demens"], "deadline"),
        ({}, ["no-such-area"], "areas"),
        ({}, [], "areas"),
        ({"unit": "   "}, ["demens"], "unit"),
        ({"unit": "x" * 201}, ["demens"], "unit"),
        ({"unit": "Nul\x00byte"}, ["demens"], "unit"),
        ({"urgency": "extreme"}, ["demens"], "urgency"),
        ({"drivers": ["bogus"]}, ["demens"], "drivers"),
        ({"service_area": "space"}, ["demens"], "service_area"),
        ({"visibility": "shared"}, ["demens"], "visibility"),
        ({"max_travel_minutes": -5}, ["demens"], "max_travel_minutes"),
        ({"status": "published"}, ["demens"], "status"),
    ],
)
def test_bad_input_refused(world, areas, overrides, codes, field):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as exc:
        services.need_create(
            actor=world.a.editor,
            organisation=world.a.org,
            data=need_data(**overrides),
            area_codes=codes,
        )
    assert exc.value.field == field
    assert str(exc.value.message)
    assert not Need.objects.exists()
    assert not AuditEntry.objects.filter(action="need.create").exists()


def test_hostile_text_is_stored_and_escaped(world, areas):  # type: ignore[no-untyped-def]
    hostile = '<script>alert("x")</script> \'; DROP TABLE needs_need; --'
    need = make_need(world.a.editor, world.a.org, unit=hostile, description=hostile, publish=True)
    client = Client()
    client.login(username=world.b.viewer.username, password=PASSWORD)
    body = client.get(f"/needs/{need.pk}/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body
    assert Need.objects.get(pk=need.pk).unit == hostile.strip()


def test_deadline_in_past_allowed_to_stay_on_update(world, areas):  # type: ignore[no-untyped-def]
    need = make_need(world.a.editor, world.a.org)
    Need.objects.filter(pk=need.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    need.refresh_from_db()
    services.need_update(actor=world.a.editor, need=need, data={"people": 5})
    with pytest.raises(DomainError):
        services.need_update(
            actor=world.a.editor,
            need=need,
            data={"deadline": timezone.localdate() - dt.timedelta(days=1)},
        )
    with pytest.raises(DomainError):
        services.need_publish(actor=world.a.editor, need=need)


def test_status_history_and_transitions(world, areas):  # type: ignore[no-untyped-def]
    need = make_need(world.a.editor, world.a.org)
    services.need_publish(actor=world.a.editor, need=need)
    services.need_set_status(actor=world.a.admin, need=need, status=Status.BEING_MET)
    services.need_set_status(actor=world.a.admin, need=need, status=Status.MET)
    with pytest.raises(DomainError):
        services.need_set_status(actor=world.a.admin, need=need, status=Status.DRAFT)
    with pytest.raises(DomainError):
        services.need_update(actor=world.a.admin, need=need, data={"people": 3})
    history = list(
        NeedStatusChange.objects.filter(need=need).values_list(
            "from_status", "to_status", "actor_name"
        )
    )
    assert history == [
        ("", "draft", "alfa-editor"),
        ("draft", "published", "alfa-editor"),
        ("published", "being_met", "alfa-admin"),
        ("being_met", "met", "alfa-admin"),
    ]


def test_withdraw_hides_from_others(world, areas):  # type: ignore[no-untyped-def]
    need = make_need(world.a.editor, world.a.org, publish=True)
    assert Need.objects.visible_to(world.b.viewer).filter(pk=need.pk).exists()
    services.need_withdraw(actor=world.a.editor, need=need, note="Dekket av intern opplæring")
    assert not Need.objects.visible_to(world.b.viewer).filter(pk=need.pk).exists()
    assert Need.objects.visible_to(world.a.viewer).filter(pk=need.pk).exists()
    need.refresh_from_db()
    assert need.visibility == Visibility.INTERNAL


def test_update_audits_before_and_after(world, areas):  # type: ignore[no-untyped-def]
    need = make_need(world.a.editor, world.a.org)
    services.need_update(
        actor=world.a.editor, need=need, data={"people": 7}, area_codes=["demens", "kreft"]
    )
    entry = AuditEntry.objects.get(action="need.update")
    assert entry.before["people"] == 12 and entry.after["people"] == 7
    assert entry.after["areas"] == ["demens", "kreft"]


def test_plan_rules(world, areas):  # type: ignore[no-untyped-def]
    a = world.a
    with pytest.raises(DomainError):
        services.plan_create(
            actor=a.editor,
            organisation=a.org,
            data={"title": "P", "start_year": 2029, "end_year": 2026},
        )
    plan = services.plan_create(
        actor=a.editor,
        organisation=a.org,
        data={"title": "P", "start_year": 2026, "end_year": 2029},
    )
    assert plan.owner == a.editor
    with pytest.raises(DomainError):
        services.plan_approve(actor=a.admin, plan=plan)  # no needs yet
    need = make_need(a.editor, a.org)
    other = make_need(world.b.editor, world.b.org)
    with pytest.raises(DomainError):
        services.plan_set_needs(actor=a.editor, plan=plan, need_ids=[need.pk, other.pk])
    services.plan_set_needs(actor=a.editor, plan=plan, need_ids=[need.pk])
    services.plan_approve(actor=a.admin, plan=plan)
    plan.refresh_from_db()
    assert plan.approved_by_name
    services.plan_update(actor=a.editor, plan=plan, data={"end_year": 2030})
    plan.refresh_from_db()
    assert plan.approved_at is None  # a changed period needs a new approval


def test_editor_cannot_use_other_orgs_plan(world, areas):  # type: ignore[no-untyped-def]
    plan_b = services.plan_create(
        actor=world.b.editor,
        organisation=world.b.org,
        data={"title": "B", "start_year": 2026, "end_year": 2027},
    )
    with pytest.raises(DomainError):
        services.need_create(
            actor=world.a.editor,
            organisation=world.a.org,
            data=need_data(plan=plan_b),
            area_codes=["demens"],
        )


def test_form_validation_over_http(world, areas):  # type: ignore[no-untyped-def]
    client = Client()
    client.login(username=world.a.editor.username, password=PASSWORD)
    post = {
        "organisation": world.a.org.pk,
        "service_area": "health",
        "unit": "Sykehjem",
        "areas": ["demens"],
        "people": "-4",
        "deadline": "2020-01-01",
        "urgency": "high",
        "visibility": "private",
    }
    response = client.post("/needs/new/", post)
    assert response.status_code == 200
    assert not Need.objects.exists()
    post.update(people="4", deadline=str(future()))
    response = client.post("/needs/new/", post)
    assert response.status_code == 302
    assert Need.objects.get().people == 4


def test_messages_are_translated(world, areas):  # type: ignore[no-untyped-def]
    from django.utils import translation

    with translation.override("nb"), pytest.raises(DomainError) as exc:
        services.need_create(
            actor=world.a.editor,
            organisation=world.a.org,
            data=need_data(deadline=dt.date(2020, 1, 1)),
            area_codes=["demens"],
        )
    with translation.override("nb"):
        assert str(exc.value.message) == "Fristen kan ikke være passert."
