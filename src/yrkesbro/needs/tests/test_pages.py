"""Every page renders for those who may see it, and the forms work end to end."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from yrkesbro.needs import services
from yrkesbro.needs.models import Need, Status, Visibility
from yrkesbro.needs.tests.conftest import future, make_need
from yrkesbro.testing import PASSWORD


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def plan(world, areas):  # type: ignore[no-untyped-def]
    a = world.a
    plan = services.plan_create(
        actor=a.editor,
        organisation=a.org,
        data={
            "title": "Kompetanseplan",
            "start_year": 2026,
            "end_year": 2029,
            "visibility": Visibility.INTERNAL,
        },
    )
    need = make_need(a.editor, a.org, codes=["demens", "velferdsteknologi"], publish=True)
    services.plan_set_needs(actor=a.editor, plan=plan, need_ids=[need.pk])
    return plan


def test_pages_render(world, plan):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.admin)
    need = plan.needs.get()
    for url in [
        "/needs/",
        "/needs/?status=published&area=demens&county=&q=Hjem",
        "/needs/new/",
        "/needs/assessment/",
        "/needs/import/",
        "/needs/import/template.csv",
        f"/needs/{need.pk}/",
        f"/needs/{need.pk}/edit/",
        "/needs/plans/",
        "/needs/plans/new/",
        f"/needs/plans/{plan.pk}/",
        f"/needs/plans/{plan.pk}/edit/",
        f"/needs/plans/{plan.pk}/print/",
        f"/needs/plans/{plan.pk}/internal/",
        "/needs/regional/",
        "/taxonomy/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_pdf(world, plan):  # type: ignore[no-untyped-def]
    response = signed_in(world.a.viewer).get(f"/needs/plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Tagged (PDF/UA) in the page's language, with Inter embedded (core/pdf.py).
    from yrkesbro.core.pdf import inflate

    body = inflate(response.content)
    assert b"/StructTreeRoot" in body and b"/Lang (nb)" in body and b"+Inter" in body


def test_viewer_has_no_create_pages(world, areas):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.viewer)
    for url in ["/needs/new/", "/needs/assessment/", "/needs/import/", "/needs/plans/new/"]:
        assert client.get(url).status_code == 404, url


def test_publish_through_the_page(world, areas):  # type: ignore[no-untyped-def]
    need = make_need(world.a.editor, world.a.org)
    client = signed_in(world.a.editor)
    assert client.post(f"/needs/{need.pk}/status/", {"status": "published"}).status_code == 302
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED and need.visibility == Visibility.SHARED
    body = signed_in(world.b.viewer).get("/needs/").content.decode()
    assert need.unit in body


def test_plan_create_edit_approve(world, areas):  # type: ignore[no-untyped-def]
    a = world.a
    need = make_need(a.editor, a.org)
    client = signed_in(a.editor)
    response = client.post(
        "/needs/plans/new/",
        {
            "organisation": a.org.pk,
            "title": "Plan 2026",
            "start_year": 2026,
            "end_year": 2029,
            "visibility": "internal",
        },
    )
    assert response.status_code == 302
    plan = a.org.competence_plans.get()
    assert response["Location"] == f"/needs/plans/{plan.pk}/add-needs/"
    response = client.post(
        f"/needs/plans/{plan.pk}/edit/",
        {
            "title": "Plan 2026–2029",
            "start_year": 2026,
            "end_year": 2029,
            "visibility": "internal",
            "owner": a.editor.pk,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Plan 2026–2029" and not plan.needs.exists()
    response = client.post(f"/needs/plans/{plan.pk}/add-needs/", {"needs": [need.pk]})
    assert response.status_code == 302
    assert list(plan.needs.all()) == [need]
    signed_in(a.admin).post(f"/needs/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.approved_by == a.admin


def test_assessment_form_proposes_needs(world, areas):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.editor)
    post = {
        "organisation": world.a.org.pk,
        "unit": "Solsikken barnehage",
        "service_area": "upbringing",
        "staff": 20,
        "deadline": str(future()),
        "urgency": "medium",
        "qualified_flerkulturell": 2,
        "target_flerkulturell": 8,
        "qualified_ikt-digital": 5,
        "target_ikt-digital": 5,
        "qualified_yngste-barn": 1,
        "target_yngste-barn": 4,
    }
    assert client.post("/needs/assessment/", post).status_code == 302
    needs = {n.areas.get().code: n for n in Need.objects.filter(organisation=world.a.org)}
    assert set(needs) == {"flerkulturell", "yngste-barn"}
    assert needs["flerkulturell"].people == 6 and needs["yngste-barn"].people == 3
    assert all(
        n.status == Status.DRAFT and n.visibility == Visibility.PRIVATE for n in needs.values()
    )
    # Targets above the staff are refused; nothing is created.
    post.update({"target_demens": 50, "unit": "Annen"})
    assert client.post("/needs/assessment/", post).status_code == 200
    assert Need.objects.count() == 2


def test_import_all_or_nothing(world, areas):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.editor)
    good = f"{future()}"
    rows = [
        "unit,service_area,staff,area,qualified,target,deadline,urgency",
        f"Hjemmetjenesten,health,40,demens,8,20,{good},high",
        f"Hjemmetjenesten,health,40,ukjent-omrade,1,2,{good},high",
        "Sykehjemmet,health,-4,kreft,1,2,2020-01-01,urgent",
    ]
    upload = io.BytesIO("\n".join(rows).encode())
    upload.name = "needs.csv"
    response = client.post("/needs/import/", {"organisation": world.a.org.pk, "file": upload})
    assert response.status_code == 200
    errors = {(e.row, e.column) for e in response.context["parsed"].errors}
    assert {(3, "area"), (4, "staff"), (4, "deadline"), (4, "urgency")} <= errors
    assert not Need.objects.exists()
    upload = io.BytesIO("\n".join(rows[:2]).encode())
    upload.name = "needs.csv"
    response = client.post("/needs/import/", {"organisation": world.a.org.pk, "file": upload})
    assert response.status_code == 302
    assert Need.objects.get().people == 12


def test_import_xlsx(world, areas):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        ["unit", "service_area", "staff", "area", "qualified", "target", "deadline", "urgency"]
    )
    sheet.append(["Barnehagen", "upbringing", 10, "spesialpedagogikk", 1, 3, future(), "low"])
    sheet.append(["Barnehagen", "upbringing", 10, "tidlig-innsats", "mange", 3, future(), "low"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "needs.xlsx"
    client = signed_in(world.a.editor)
    response = client.post("/needs/import/", {"organisation": world.a.org.pk, "file": upload})
    assert [(e.row, e.column) for e in response.context["parsed"].errors] == [(3, "qualified")]
    assert not Need.objects.exists()


def test_list_filter_mine(world, areas):  # type: ignore[no-untyped-def]
    own = make_need(world.b.editor, world.b.org, unit="Egen enhet")
    other = make_need(world.a.editor, world.a.org, unit="Annen enhet", publish=True)
    body = signed_in(world.b.editor).get("/needs/?mine=on").content.decode()
    assert own.unit in body and other.unit not in body


def test_the_plan_owner_is_a_search_not_every_member(world, plan):  # type: ignore[no-untyped-def]
    """The owner picker shows at most twenty members however many the organisation has;
    one not shown is found by searching and can be chosen."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yrkesbro.accounts.models import Role
    from yrkesbro.testing import MembershipFactory, UserFactory

    a = world.a
    client = signed_in(a.editor)
    url = f"/needs/plans/{plan.pk}/edit/"

    def get(path: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    small, page = get(url)
    assert 0 < page.count('name="owner"') <= 21
    for i in range(40):
        MembershipFactory(
            user=UserFactory(username=f"member-{i:03d}", full_name=f"Medlem {i:03d}"),
            organisation=a.org,
            role=Role.VIEWER,
        )
    large, page = get(url)
    assert large == small
    # "(none chosen)", the current owner if any, and the first twenty of 40+ members
    assert page.count('name="owner"') == 21 + (plan.owner_id is not None)
    assert "Medlem 039" not in page
    _, found = get(f"{url}?picker=owner&owner_q=Medlem 039")
    assert "Medlem 039" in found
    last = a.org.memberships.get(user__username="member-039").user
    response = client.post(
        url,
        {
            "title": "Kompetanseplan",
            "start_year": 2026,
            "end_year": 2029,
            "visibility": "internal",
            "owner": last.pk,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.owner == last
