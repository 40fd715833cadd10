"""The permission matrix: role, own or other organisation, and action, over services and HTTP."""

from __future__ import annotations

import pytest
from django.test import Client

from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.needs import services
from yrkesbro.needs.models import CompetencePlan, Need, Status, Visibility
from yrkesbro.needs.tests.conftest import make_need, need_data
from yrkesbro.testing import PASSWORD

ROLES = ["admin", "editor", "viewer"]


def who(world, side: str, role: str):  # type: ignore[no-untyped-def]
    if side == "outsider":
        return world.outsider
    if side == "platform":
        return world.platform_admin
    return getattr(world, side).member(role)


@pytest.fixture
def needs(world, areas):  # type: ignore[no-untyped-def]
    a = world.a
    return {
        "private": make_need(a.editor, a.org, unit="Privat utkast"),
        "internal": make_need(
            a.editor, a.org, unit="Internt utkast", visibility=Visibility.INTERNAL
        ),
        "published": make_need(a.editor, a.org, unit="Publisert", publish=True),
    }


# (side, role) -> which of side A's needs they may see
SEE = {
    ("a", "admin"): {"private", "internal", "published"},
    ("a", "editor"): {"private", "internal", "published"},
    ("a", "viewer"): {"internal", "published"},
    ("b", "admin"): {"published"},
    ("b", "editor"): {"published"},
    ("b", "viewer"): {"published"},
    ("outsider", ""): {"published"},
    ("platform", ""): {"private", "internal", "published"},
}


@pytest.mark.parametrize(("side", "role"), list(SEE))
def test_visibility_in_sql(world, needs, side, role):  # type: ignore[no-untyped-def]
    actor = who(world, side, role)
    visible = set(Need.objects.visible_to(actor).values_list("unit", flat=True))
    expected = {needs[k].unit for k in SEE[(side, role)]}
    assert visible == expected


def test_anonymous_sees_no_single_need(world, needs):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    assert not Need.objects.visible_to(AnonymousUser()).exists()
    response = Client().get(f"/needs/{needs['published'].pk}/")
    assert response.status_code == 302  # to log-in


@pytest.mark.parametrize(("side", "role"), list(SEE))
@pytest.mark.parametrize("kind", ["private", "internal", "published"])
def test_detail_page_404_unless_visible(world, needs, side, role, kind):  # type: ignore[no-untyped-def]
    client = Client()
    client.login(username=who(world, side, role).username, password=PASSWORD)
    response = client.get(f"/needs/{needs[kind].pk}/")
    assert response.status_code == (200 if kind in SEE[(side, role)] else 404)


WRITERS = {("a", "admin"), ("a", "editor"), ("platform", "")}


@pytest.mark.parametrize(("side", "role"), list(SEE))
def test_create(world, areas, side, role):  # type: ignore[no-untyped-def]
    actor = who(world, side, role)
    if (side, role) in WRITERS:
        need = services.need_create(
            actor=actor, organisation=world.a.org, data=need_data(), area_codes=["demens"]
        )
        assert need.status == Status.DRAFT
    else:
        with pytest.raises(NotAllowed):
            services.need_create(
                actor=actor, organisation=world.a.org, data=need_data(), area_codes=["demens"]
            )
        assert not Need.objects.exists()


@pytest.mark.parametrize(("side", "role"), list(SEE))
@pytest.mark.parametrize("action", ["edit", "publish", "withdraw"])
def test_write_actions(world, needs, side, role, action):  # type: ignore[no-untyped-def]
    actor = who(world, side, role)
    need = needs["internal"] if action != "withdraw" else needs["published"]
    before = (need.unit, need.status, need.visibility)

    def run():  # type: ignore[no-untyped-def]
        if action == "edit":
            return services.need_update(actor=actor, need=need, data={"unit": "Endret"})
        if action == "publish":
            return services.need_publish(actor=actor, need=need)
        return services.need_withdraw(actor=actor, need=need)

    if (side, role) in WRITERS:
        run()
        need.refresh_from_db()
        assert (need.unit, need.status, need.visibility) != before
    else:
        with pytest.raises(NotAllowed):
            run()
        need.refresh_from_db()
        assert (need.unit, need.status, need.visibility) == before


@pytest.mark.parametrize(("side", "role"), list(SEE))
@pytest.mark.parametrize("action", ["edit", "status"])
def test_write_pages_404_for_non_editors(world, needs, side, role, action):  # type: ignore[no-untyped-def]
    client = Client()
    client.login(username=who(world, side, role).username, password=PASSWORD)
    need = needs["published"]
    if action == "edit":
        response = client.post(
            f"/needs/{need.pk}/edit/",
            {
                **{k: v for k, v in need_data().items() if k != "drivers"},
                "areas": ["demens"],
                "visibility": "private",
            },
        )
    else:
        response = client.post(f"/needs/{need.pk}/status/", {"status": "withdrawn"})
    need.refresh_from_db()
    if (side, role) in WRITERS:
        assert response.status_code == 302
    else:
        assert response.status_code == 404
        assert need.status == Status.PUBLISHED and need.unit == "Publisert"


# Plans -------------------------------------------------------------------------------


@pytest.fixture
def plans(world, needs):  # type: ignore[no-untyped-def]
    a = world.a
    result = {}
    for vis in Visibility.values:
        plan = services.plan_create(
            actor=a.editor,
            organisation=a.org,
            data={"title": f"Plan {vis}", "start_year": 2026, "end_year": 2029, "visibility": vis},
        )
        result[vis] = plan
    services.plan_set_needs(
        actor=a.editor, plan=result["internal"], need_ids=[needs["internal"].pk]
    )
    return result


PLAN_SEE = {
    ("a", "admin"): {"private", "internal", "shared"},
    ("a", "editor"): {"private", "internal", "shared"},
    ("a", "viewer"): {"internal", "shared"},
    ("b", "admin"): {"shared"},
    ("b", "editor"): {"shared"},
    ("b", "viewer"): {"shared"},
    ("outsider", ""): {"shared"},
    ("platform", ""): {"private", "internal", "shared"},
}
APPROVERS = {("a", "admin"), ("platform", "")}


@pytest.mark.parametrize(("side", "role"), list(PLAN_SEE))
def test_plan_visibility_and_pages(world, plans, side, role):  # type: ignore[no-untyped-def]
    actor = who(world, side, role)
    visible = set(CompetencePlan.objects.visible_to(actor).values_list("visibility", flat=True))
    assert visible == PLAN_SEE[(side, role)]
    client = Client()
    client.login(username=actor.username, password=PASSWORD)
    for vis, plan in plans.items():
        for suffix in ("", "print/"):
            response = client.get(f"/needs/plans/{plan.pk}/{suffix}")
            assert response.status_code == (200 if vis in PLAN_SEE[(side, role)] else 404)
        # The internal page is for the organisation's own members only.
        internal_ok = side in ("a", "platform") and vis in PLAN_SEE[(side, role)]
        response = client.get(f"/needs/plans/{plan.pk}/internal/")
        assert response.status_code == (200 if internal_ok else 404), (vis, side, role)


@pytest.mark.parametrize(("side", "role"), list(PLAN_SEE))
def test_plan_approve(world, plans, side, role):  # type: ignore[no-untyped-def]
    actor = who(world, side, role)
    plan = plans["internal"]
    if (side, role) in APPROVERS:
        services.plan_approve(actor=actor, plan=plan)
        plan.refresh_from_db()
        assert plan.approved_by == actor and plan.approved_at is not None
    else:
        with pytest.raises(NotAllowed):
            services.plan_approve(actor=actor, plan=plan)
        plan.refresh_from_db()
        assert plan.approved_at is None


@pytest.mark.parametrize(("side", "role"), list(PLAN_SEE))
def test_plan_edit(world, plans, side, role):  # type: ignore[no-untyped-def]
    actor = who(world, side, role)
    plan = plans["shared"]
    if (side, role) in WRITERS:
        services.plan_update(actor=actor, plan=plan, data={"title": "Ny tittel"})
        plan.refresh_from_db()
        assert plan.title == "Ny tittel"
    else:
        with pytest.raises(NotAllowed):
            services.plan_update(actor=actor, plan=plan, data={"title": "Ny tittel"})
    client = Client()
    client.login(username=actor.username, password=PASSWORD)
    assert client.get(f"/needs/plans/{plan.pk}/edit/").status_code == (
        200 if (side, role) in WRITERS else 404
    )


def test_viewer_approve_via_http_changes_nothing(world, plans):  # type: ignore[no-untyped-def]
    client = Client()
    client.login(username=world.a.viewer.username, password=PASSWORD)
    plan = plans["internal"]
    response = client.post(f"/needs/plans/{plan.pk}/approve/")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.approved_at is None


def test_audited(world, needs):  # type: ignore[no-untyped-def]
    from yrkesbro.core.models import AuditEntry

    actions = set(
        AuditEntry.objects.filter(organisation=world.a.org).values_list("action", flat=True)
    )
    assert {"need.create", "need.published"} <= actions
    assert DomainError  # imported for the module's readers
