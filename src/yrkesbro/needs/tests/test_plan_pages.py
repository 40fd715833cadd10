"""Plan pages stay cheap with many needs (issue 16): a page of needs in SQL, totals from one
aggregate, and needs added to and taken out of a plan on their own pages, through the
services, with permissions and hostile input checked."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.models import AuditEntry
from yrkesbro.needs import services
from yrkesbro.needs.models import CompetencePlan, Need, Status, Visibility
from yrkesbro.needs.tests.conftest import future
from yrkesbro.taxonomy.models import CompetenceArea
from yrkesbro.testing import PASSWORD

HUGE = "99999999999999999999999"


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def new_plan(world, title: str = "Kompetanseplan") -> CompetencePlan:  # type: ignore[no-untyped-def]
    return services.plan_create(
        actor=world.a.editor,
        organisation=world.a.org,
        data={"title": title, "start_year": 2026, "end_year": 2029, "visibility": "internal"},
    )


def add_needs(org, n: int, *, plan=None, unit="Enhet", visibility=Visibility.INTERNAL, **kw):  # type: ignore[no-untyped-def]
    """``n`` needs of ``org`` (people 1..n), each with two competence areas."""
    areas = list(CompetenceArea.objects.order_by("code")[:3])
    made = []
    for i in range(n):
        need = Need.objects.create(
            organisation=org,
            plan=plan,
            unit=f"{unit} {i + 1}",
            people=i + 1,
            deadline=future(100 + i),
            visibility=visibility,
            **kw,
        )
        need.areas.set(areas[i % 2 : i % 2 + 2])
        made.append(need)
    return made


@pytest.fixture
def plan(world, areas):  # type: ignore[no-untyped-def]
    plan = new_plan(world)
    add_needs(world.a.org, 60, plan=plan)
    return plan


# Reading: a page of needs, the totals of all ----------------------------------------


def test_detail_shows_a_page_of_needs_and_the_totals_of_all(world, plan):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.viewer)
    response = client.get(f"/needs/plans/{plan.pk}/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == settings.PAGE_SIZE
    assert response.context["totals"] == {"needs": 60, "people": sum(range(1, 61))}
    body = response.content.decode()
    assert "60 behov, 1830 personer" in body
    assert "Side 1 av 3" in body
    # By deadline: the first page holds needs 1..25, the second 26..50, the last 51..60.
    page2 = client.get(f"/needs/plans/{plan.pk}/?page=2")
    assert [r.unit for r in page2.context["rows"]][:2] == ["Enhet 26", "Enhet 27"]
    assert page2.context["totals"]["needs"] == 60
    last = client.get(f"/needs/plans/{plan.pk}/?page=3")
    assert len(last.context["rows"]) == 10
    for hostile in ("999", "abc", "-1", HUGE, "1%00"):
        assert client.get(f"/needs/plans/{plan.pk}/?page={hostile}").status_code == 200


def test_totals_count_only_the_needs_the_reader_may_see(world, plan):  # type: ignore[no-untyped-def]
    add_needs(world.a.org, 1, plan=plan, unit="Utkast", visibility=Visibility.PRIVATE)
    viewer = signed_in(world.a.viewer).get(f"/needs/plans/{plan.pk}/internal/")
    editor = signed_in(world.a.editor).get(f"/needs/plans/{plan.pk}/internal/")
    assert viewer.context["totals"]["needs"] == 60
    assert editor.context["totals"] == {"needs": 61, "people": sum(range(1, 61)) + 1}
    assert len(editor.context["rows"]) == settings.PAGE_SIZE


def test_print_holds_the_whole_plan(world, plan):  # type: ignore[no-untyped-def]
    response = signed_in(world.a.viewer).get(f"/needs/plans/{plan.pk}/print/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 60
    body = response.content.decode()
    assert "Enhet 60" in body and "60 behov, 1830 personer" in body
    assert 'rel="next"' not in body
    first = Need.objects.get(plan=plan, unit="Enhet 1")
    names = [a.name for a in first.areas.order_by("code")]
    assert len(names) == 2 and response.context["rows"][0].areas == ", ".join(names)


def test_print_leaves_out_what_the_reader_may_not_see(world, plan):  # type: ignore[no-untyped-def]
    add_needs(world.a.org, 1, plan=plan, unit="Hemmelig utkast", visibility=Visibility.PRIVATE)
    viewer = signed_in(world.a.viewer).get(f"/needs/plans/{plan.pk}/print/")
    editor = signed_in(world.a.editor).get(f"/needs/plans/{plan.pk}/print/")
    assert "Hemmelig utkast" not in viewer.content.decode()
    assert len(viewer.context["rows"]) == 60 and viewer.context["totals"]["needs"] == 60
    assert "Hemmelig utkast" in editor.content.decode() and len(editor.context["rows"]) == 61


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/needs/plans/{pk}/",
        "/needs/plans/{pk}/?page=2",
        "/needs/plans/{pk}/internal/",
        "/needs/plans/{pk}/print/",
        "/needs/plans/{pk}/edit/",
        "/needs/plans/{pk}/add-needs/",
        "/matching/plans/{pk}/",
    ],
)
def test_queries_do_not_grow_with_the_plan(world, areas, url):  # type: ignore[no-untyped-def]
    plan = new_plan(world)
    add_needs(world.a.org, 30, unit="Utenfor")  # candidates for the add page
    add_needs(world.a.org, 30, plan=plan)
    client = signed_in(world.a.admin)
    small = _queries(client, url.format(pk=plan.pk))
    add_needs(world.a.org, 50, plan=plan, unit="Mer")
    add_needs(world.a.org, 50, unit="Utenfor mer")
    big = _queries(client, url.format(pk=plan.pk))
    assert small == big, f"{url}: {small} queries for 30 needs, {big} for 80"


def test_matching_plan_reads_a_page_of_needs(world, plan):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.viewer)
    response = client.get(f"/matching/plans/{plan.pk}/")
    assert len(response.context["rows"]) == settings.PAGE_SIZE
    assert len(client.get(f"/matching/plans/{plan.pk}/?page=3").context["rows"]) == 10


# Editing the plan: its own fields only ----------------------------------------------


def test_edit_form_has_no_need_checkboxes(world, plan):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.editor)
    body = client.get(f"/needs/plans/{plan.pk}/edit/").content.decode()
    assert 'name="needs"' not in body and "Enhet 1" not in body
    response = client.post(
        f"/needs/plans/{plan.pk}/edit/",
        {"title": "Ny tittel", "start_year": 2026, "end_year": 2030, "visibility": "shared"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Ny tittel" and plan.needs.count() == 60  # needs untouched


# Adding needs ----------------------------------------------------------------------


@pytest.fixture
def outside(world, plan):  # type: ignore[no-untyped-def]
    """Needs of the organisation not in ``plan``: 30 loose, one withdrawn, one in another
    plan; and one of another organisation."""
    loose = add_needs(world.a.org, 30, unit="Løs")
    withdrawn = add_needs(world.a.org, 1, unit="Trukket", status=Status.WITHDRAWN)[0]
    other_plan = new_plan(world, "Annen plan")
    elsewhere = add_needs(world.a.org, 1, plan=other_plan, unit="Annen")[0]
    foreign = add_needs(world.b.org, 1, unit="Fremmed")[0]
    return {"loose": loose, "withdrawn": withdrawn, "elsewhere": elsewhere, "foreign": foreign}


def test_add_page_lists_what_may_be_added_a_page_at_a_time(world, plan, outside):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.editor)
    response = client.get(f"/needs/plans/{plan.pk}/add-needs/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 31  # the loose ones and the one in another plan
    assert len(page.object_list) == settings.PAGE_SIZE
    listed = {n.pk for n in client.get(f"/needs/plans/{plan.pk}/add-needs/?page=2").context["page"]}
    listed |= {n.pk for n in page.object_list}
    assert outside["withdrawn"].pk not in listed and outside["foreign"].pk not in listed
    assert outside["elsewhere"].pk in listed
    assert not listed & set(plan.needs.values_list("pk", flat=True))
    found = client.get(f"/needs/plans/{plan.pk}/add-needs/?q=Annen").context["page"]
    assert [n.pk for n in found] == [outside["elsewhere"].pk]
    for q in ("\x00", "x" * 500, "%", "' OR 1=1 --"):
        assert client.get(f"/needs/plans/{plan.pk}/add-needs/", {"q": q}).status_code == 200


def test_add_through_the_page(world, plan, outside):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.editor)
    chosen = [outside["loose"][0].pk, outside["elsewhere"].pk]
    response = client.post(f"/needs/plans/{plan.pk}/add-needs/", {"needs": chosen})
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert set(Need.objects.filter(pk__in=chosen).values_list("plan", flat=True)) == {plan.pk}
    entry = AuditEntry.objects.filter(action="plan.needs_add").get()
    assert entry.after == {"needs": sorted(chosen)}
    page = client.get(plan.get_absolute_url())
    assert page.context["totals"]["needs"] == 62


@pytest.mark.parametrize(
    "values",
    [
        [HUGE],
        ["abc"],
        ["-1"],
        ["0"],
        [""],
        [],
        ["1.5"],
        ["foreign"],
        ["withdrawn"],
        ["loose", "foreign"],
        ["loose", HUGE],
        ["in_plan"],
    ],
)
def test_hostile_additions_change_nothing(world, plan, outside, values):  # type: ignore[no-untyped-def]
    ids = {
        "foreign": outside["foreign"].pk,
        "withdrawn": outside["withdrawn"].pk,
        "loose": outside["loose"][0].pk,
        "in_plan": plan.needs.first().pk,
    }
    posted = [str(ids.get(v, v)) for v in values]
    before = dict(Need.objects.values_list("pk", "plan"))
    response = signed_in(world.a.editor).post(
        f"/needs/plans/{plan.pk}/add-needs/", {"needs": posted}
    )
    assert response.status_code == 400
    assert response.context["error"]
    assert 'role="alert"' in response.content.decode()
    assert dict(Need.objects.values_list("pk", "plan")) == before
    assert not AuditEntry.objects.filter(action="plan.needs_add").exists()


@pytest.mark.parametrize("who", ["viewer", "b_editor", "b_admin", "outsider"])
def test_others_cannot_add_or_remove(world, plan, outside, who):  # type: ignore[no-untyped-def]
    user = {
        "viewer": world.a.viewer,
        "b_editor": world.b.editor,
        "b_admin": world.b.admin,
        "outsider": world.outsider,
    }[who]
    client = signed_in(user)
    in_plan = plan.needs.first()
    before = dict(Need.objects.values_list("pk", "plan"))
    assert client.get(f"/needs/plans/{plan.pk}/add-needs/").status_code == 404
    response = client.post(
        f"/needs/plans/{plan.pk}/add-needs/", {"needs": [outside["loose"][0].pk]}
    )
    assert response.status_code == 404
    remove = f"/needs/plans/{plan.pk}/needs/{in_plan.pk}/remove/"
    assert client.get(remove).status_code == 404
    assert client.post(remove).status_code == 404
    assert dict(Need.objects.values_list("pk", "plan")) == before
    with pytest.raises(NotAllowed):
        services.plan_add_needs(actor=user, plan=plan, need_ids=[outside["loose"][0].pk])
    with pytest.raises(NotAllowed):
        services.plan_remove_need(actor=user, plan=plan, need_id=in_plan.pk)
    assert dict(Need.objects.values_list("pk", "plan")) == before


def test_viewer_sees_no_remove_actions(world, plan):  # type: ignore[no-untyped-def]
    viewer = signed_in(world.a.viewer).get(plan.get_absolute_url()).content.decode()
    editor = signed_in(world.a.editor).get(plan.get_absolute_url()).content.decode()
    assert "/remove/" not in viewer and "add-needs" not in viewer
    assert editor.count("/remove/") == settings.PAGE_SIZE and "add-needs" in editor


# Removing a need --------------------------------------------------------------------


def test_remove_through_the_page_asks_first(world, plan):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.editor)
    need = plan.needs.order_by("deadline").first()
    url = f"/needs/plans/{plan.pk}/needs/{need.pk}/remove/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and need.unit in confirm.content.decode()
    need.refresh_from_db()
    assert need.plan_id == plan.pk  # asking changed nothing
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == plan.get_absolute_url()
    assert "er tatt ut av planen" in response.content.decode()
    need.refresh_from_db()
    assert need.plan_id is None and Need.objects.filter(pk=need.pk).exists()
    assert response.context["totals"]["needs"] == 59
    entry = AuditEntry.objects.get(action="plan.needs_remove")
    assert entry.before == {"needs": [need.pk]}
    # Again: it is no longer there.
    assert client.get(url).status_code == 404
    again = client.post(url, follow=True)
    assert "ikke lenger i planen" in again.content.decode()


def test_remove_with_hostile_ids(world, plan, outside):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.editor)
    before = dict(Need.objects.values_list("pk", "plan"))
    for need_id in (HUGE, "0", str(outside["foreign"].pk), str(outside["loose"][0].pk)):
        url = f"/needs/plans/{plan.pk}/needs/{need_id}/remove/"
        assert client.get(url).status_code == 404, need_id
        assert client.post(url).status_code in (302, 404), need_id
    assert client.get(f"/needs/plans/{HUGE}/needs/1/remove/").status_code == 404
    assert client.get(f"/needs/plans/{HUGE}/add-needs/").status_code == 404
    assert client.get("/needs/plans/abc/needs/1/remove/").status_code == 404
    assert dict(Need.objects.values_list("pk", "plan")) == before


# The services ----------------------------------------------------------------------


def test_services_check_the_needs(world, plan, outside):  # type: ignore[no-untyped-def]
    editor = world.a.editor
    loose = outside["loose"]
    with pytest.raises(DomainError):
        services.plan_add_needs(actor=editor, plan=plan, need_ids=[outside["foreign"].pk])
    with pytest.raises(DomainError):
        services.plan_add_needs(actor=editor, plan=plan, need_ids=[loose[0].pk, 2**70])
    with pytest.raises(DomainError):
        services.plan_add_needs(actor=editor, plan=plan, need_ids=[True])  # type: ignore[list-item]
    with pytest.raises(DomainError):
        services.plan_add_needs(actor=editor, plan=plan, need_ids=list(range(1, 502)))
    with pytest.raises(DomainError):
        services.plan_remove_need(actor=editor, plan=plan, need_id=loose[0].pk)
    assert loose[0].__class__.objects.get(pk=loose[0].pk).plan_id is None
    added = services.plan_add_needs(
        actor=editor, plan=plan, need_ids=[loose[0].pk, loose[0].pk, loose[1].pk]
    )
    assert added == [loose[0].pk, loose[1].pk]
    assert plan.needs.count() == 62
    removed = services.plan_remove_need(actor=editor, plan=plan, need_id=loose[0].pk)
    assert removed.plan is None and plan.needs.count() == 61


# The API ---------------------------------------------------------------------------


def test_api_adds_and_removes(world, plan, outside):  # type: ignore[no-untyped-def]
    editor = signed_in(world.a.editor)
    need = outside["loose"][0]
    url = f"/api/v1/plans/{plan.pk}/needs"
    response = editor.post(url, {"needs": [need.pk]}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert need.pk in response.json()["needs"]
    bad = editor.post(url, {"needs": [outside["foreign"].pk]}, content_type="application/json")
    assert bad.status_code == 400
    huge = editor.post(url, {"needs": [int(HUGE)]}, content_type="application/json")
    assert huge.status_code == 422
    viewer = signed_in(world.a.viewer)
    denied = viewer.delete(f"{url}/{need.pk}")
    assert denied.status_code == 403
    assert editor.delete(f"{url}/{need.pk}").status_code == 204
    need.refresh_from_db()
    assert need.plan_id is None
    assert editor.delete(f"{url}/{need.pk}").status_code == 400
    assert signed_in(world.b.editor).delete(f"{url}/{need.pk}").status_code == 404
