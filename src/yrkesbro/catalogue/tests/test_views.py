from __future__ import annotations

import pytest
from django.urls import reverse

from yrkesbro.catalogue.models import SCHOOL_KINDS, Offering, Programme
from yrkesbro.organisations.models import Organisation
from yrkesbro.testing import PASSWORD


def test_public_pages(client, catalogue_loaded):
    p = Programme.objects.filter(code="FINN-DEMENS").get()
    pages = [
        reverse("catalogue:list"),
        reverse("catalogue:list") + "?q=demens&county=34&delivery=blended",
        reverse("catalogue:programme", args=[p.pk]),
        reverse("catalogue:school", args=[p.school_id]),
        reverse("catalogue:plans"),
        reverse("catalogue:plan", args=["DEMENS"]),
        reverse("catalogue:overview"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(reverse("catalogue:list"), {"q": "palliative care"}).content.decode()
    why = body[body.index("yb-why") :]
    why = why[: why.index("</p>")]
    print(why)
    assert "lindrende" in why or "palliasjon" in why
    body = client.get(reverse("catalogue:list"), {"q": "demens"}).content.decode()
    assert "<mark>Demens" in body and "FINN" not in body[:0]
    plan_page = client.get(reverse("catalogue:plan", args=["DEMENS"])).content.decode()
    assert ("Fagskolen Innlandet" in plan_page and "Diakonova" in plan_page) or "DIAK" in plan_page
    overview = client.get(reverse("catalogue:overview")).content.decode()
    assert "<svg" in overview and "<table" in overview and "Innlandet" in overview


def test_htmx_partial_and_exports(client, catalogue_loaded):
    partial = client.get(reverse("catalogue:list"), {"q": "rus"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and b"<html" not in partial.content
    csv = client.get(reverse("catalogue:export", args=["csv"]), {"q": "demens"})
    assert csv.status_code == 200 and b"DEMENS" in csv.content and b"HAAO," not in csv.content
    xlsx = client.get(reverse("catalogue:export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("catalogue:export", args=["pdf"])).status_code == 404


@pytest.mark.parametrize(
    "q", ["", "x" * 2000, "x" * 5000, "<script>alert('x')</script>", "' OR 1=1; --", "\x00"]
)
def test_odd_queries_are_escaped(client, schools, q):
    response = client.get(reverse("catalogue:list"), {"q": q})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def _edit_urls(s):
    o = Offering.objects.create(
        programme=s.programme,
        delivery="online",
        pace="part-time",
        start_date="2027-08-16",
        semesters=4,
        funding="state-funded",
    )
    return [
        reverse("catalogue:programme_edit", args=[s.programme.pk]),
        reverse("catalogue:programme_delete", args=[s.programme.pk]),
        reverse("catalogue:programme_create", args=[s.school.pk]),
        reverse("catalogue:offering_create", args=[s.programme.pk]),
        reverse("catalogue:offering_edit", args=[o.pk]),
        reverse("catalogue:offering_delete", args=[o.pk]),
    ]


@pytest.mark.parametrize("who", ["viewer", "outsider", "other_editor", "other_admin"])
def test_outsiders_get_404_on_edit_pages(client, schools, who):
    a = schools.a
    user = {
        "viewer": a.viewer,
        "outsider": schools.outsider,
        "other_editor": schools.b.editor,
        "other_admin": schools.b.admin,
    }[who]
    client.login(username=user.username, password=PASSWORD)
    for url in _edit_urls(a):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "Hacked"}).status_code == 404, url
    assert Programme.objects.get(pk=a.programme.pk).title == a.programme.title
    assert Offering.objects.filter(programme=a.programme).count() == 1


def test_anonymous_is_sent_to_login(client, schools):
    response = client.get(reverse("catalogue:programme_edit", args=[schools.a.programme.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_editor_edits_adds_and_deletes(client, schools):
    a = schools.a
    client.login(username=a.editor.username, password=PASSWORD)
    for url in _edit_urls(a)[:1]:
        assert client.get(url).status_code == 200
    data = {
        "title": "Demens og alderspsykiatri",
        "code": "ALFA-DEMENS",
        "field": "health",
        "credits": "60",
        "nkr_level": "5.1",
        "description": "Ny tekst",
    }
    response = client.post(reverse("catalogue:programme_edit", args=[a.programme.pk]), data)
    assert response.status_code == 302
    assert Programme.objects.get(pk=a.programme.pk).title == "Demens og alderspsykiatri"
    bad = client.post(
        reverse("catalogue:programme_edit", args=[a.programme.pk]), {**data, "credits": "200"}
    )
    assert bad.status_code == 200 and b"aria-invalid" in bad.content
    offering = {
        "delivery": "campus",
        "pace": "part-time",
        "start_date": "2027-08-16",
        "semesters": "4",
        "funding": "state-funded",
        "price_nok": "0",
        "status": "open",
    }
    response = client.post(reverse("catalogue:offering_create", args=[a.programme.pk]), offering)
    assert response.status_code == 200  # campus needs a municipality
    response = client.post(
        reverse("catalogue:offering_create", args=[a.programme.pk]),
        {**offering, "delivery": "online"},
    )
    assert response.status_code == 302
    confirm = client.get(reverse("catalogue:programme_delete", args=[a.programme.pk]))
    assert confirm.status_code == 200 and Programme.objects.filter(pk=a.programme.pk).exists()
    client.post(reverse("catalogue:programme_delete", args=[a.programme.pk]))
    assert not Programme.objects.filter(pk=a.programme.pk).exists()


def _grow(school, plan, n):
    from yrkesbro.catalogue import services

    for i in range(n):
        p = services.programme_create(
            actor=None,
            school=school,
            data={"title": f"Demens {i}", "field": "health", "credits": 60, "national_plan": plan},
        )
        Offering.objects.create(
            programme=p,
            delivery="online",
            pace="part-time",
            start_date="2027-08-16",
            semesters=4,
            funding="state-funded",
        )


def test_query_counts_do_not_grow(client, schools):
    """Lists and pages run the same number of queries for 3 and 30 programmes (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = schools.a
    plan = a.programme.national_plan
    urls = [
        reverse("catalogue:list"),
        reverse("catalogue:list") + "?q=demens",
        reverse("catalogue:school", args=[a.school.pk]),
        reverse("catalogue:plan", args=[plan.code]),
        "/api/v1/programmes?q=demens",
    ]

    def counts():
        out = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    _grow(a.school, plan, 2)
    small = counts()
    _grow(a.school, plan, 27)
    assert counts() == small


def test_a_national_plan_lists_its_programmes_a_page_at_a_time(client, schools):
    a = schools.a
    plan = a.programme.national_plan
    _grow(a.school, plan, 30)
    total = Programme.objects.filter(national_plan=plan).count()
    assert total > 30
    url = reverse("catalogue:plan", args=[plan.code])
    first = client.get(url)
    assert first.status_code == 200
    assert len(first.context["page"].object_list) == 25
    body = first.content.decode()
    assert f"{total} utdanninger" in body
    assert 'rel="next"' in body
    last = client.get(url, {"page": 99})  # out of range: the last page, not an error
    assert last.status_code == 200
    assert len(last.context["page"].object_list) == total - 25
    assert client.get(url, {"page": "\x00"}).status_code == 200


def test_the_catalogue_without_a_query_reads_one_page_of_ids(client, schools):
    """Title order, a page at a time: the page's id query has a LIMIT, the count is one
    COUNT, and the pages together are the whole catalogue in order (the export too)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = schools.a
    _grow(a.school, a.programme.national_plan, 30)
    expected = list(Programme.objects.order_by("title", "id").values_list("pk", flat=True))
    assert len(expected) > 25
    url = reverse("catalogue:list")
    seen = []
    for number in (1, 2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"page": number})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == len(expected)
        seen += [h.programme_id for h in response.context["page"].object_list]
        id_reads = [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].startswith('SELECT "catalogue_programme"."id" AS "id" FROM')
        ]
        assert id_reads and all("LIMIT" in sql for sql in id_reads), id_reads
    assert seen == expected
    export = client.get(reverse("catalogue:export", args=["csv"]))
    assert export.status_code == 200
    assert export.content.decode().count("\n") > len(expected)


def test_a_school_lists_its_programmes_and_offerings_a_page_at_a_time(client, schools):
    a = schools.a
    _grow(a.school, a.programme.national_plan, 30)
    programmes = Programme.objects.filter(school=a.school).count()
    offerings = Offering.objects.filter(programme__school=a.school).count()
    assert programmes > 25 and offerings > 25
    url = reverse("catalogue:school", args=[a.school.pk])
    first = client.get(url)
    assert first.status_code == 200
    assert len(first.context["programmes"].object_list) == 25
    assert len(first.context["offerings"].object_list) == 25
    body = first.content.decode()
    assert f"{programmes} utdanninger" in body
    assert "offerings_page=2" in body
    assert 'aria-label="Sider med utdanninger"' in body  # two page navigations, told apart
    assert 'aria-label="Sider med tilbud"' in body
    last = client.get(url, {"page": 99, "offerings_page": 99})
    assert len(last.context["programmes"].object_list) == programmes - 25
    assert len(last.context["offerings"].object_list) == offerings - 25 * ((offerings - 1) // 25)
    assert client.get(url, {"page": "\x00", "offerings_page": "-1"}).status_code == 200


def test_result_cards_are_cached_until_what_they_show_changes(client, schools):
    """A card is rendered once, then served from the cache without loading its programme;
    an edit of the programme, of an offering (added, changed, deleted) or of the school's
    name shows on the next view, and each language and query has its own card."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yrkesbro.catalogue import services
    from yrkesbro.catalogue.views import CARD_CACHE
    from yrkesbro.organisations.services import organisation_update

    CARD_CACHE.clear()
    a = schools.a
    url = reverse("catalogue:list")

    def page(**params: str) -> str:
        response = client.get(url, params)
        assert response.status_code == 200
        return response.content.decode()

    def programme_loads(**params: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, params)
        return sum(
            q["sql"].startswith(
                'SELECT "catalogue_programme"."id", "catalogue_programme"."school_id"'
            )
            for q in ctx.captured_queries
        )

    assert "Demensomsorg ved Alfa" in page()
    assert programme_loads() == 0  # every card of the page is cached now
    services.programme_update(actor=None, programme=a.programme, data={"credits": 90})
    assert "90 studiepoeng" in page()
    offering = services.offering_create(
        actor=None,
        programme=a.programme,
        data={
            "delivery": "online",
            "pace": "part-time",
            "start_date": "2027-08-16",
            "semesters": 4,
            "funding": "state-funded",
        },
    )
    assert "16.08.2027" in page()
    services.offering_update(actor=None, offering=offering, data={"start_date": "2027-09-01"})
    body = page()
    assert "01.09.2027" in body and "16.08.2027" not in body
    services.offering_delete(actor=None, offering=offering)
    assert "01.09.2027" not in page()
    organisation_update(
        actor=schools.platform_admin, organisation=a.school, data={"name": "Fagskolen Alfa Nord"}
    )
    assert "Fagskolen Alfa Nord" in page()
    # The query's highlighting and "why it matched" are the query's own.
    assert "<mark>Demensomsorg</mark>" in page(q="demensomsorg") or "<mark>" in page(q="demens")
    assert "<mark>" not in page()
    client.cookies["django_language"] = "en"
    assert "90 credits" in page()
    client.cookies["django_language"] = "nb"
    assert "90 studiepoeng" in page()


def test_your_schools_shows_the_first_ten_and_how_many(client, schools):
    """A platform administrator manages every school in the country: the catalogue names
    the first ten and points to the register, instead of listing a thousand links."""
    from yrkesbro.organisations.models import Kind
    from yrkesbro.testing import OrganisationFactory

    for i in range(12):
        OrganisationFactory(kind=Kind.FAGSKOLE, name=f"Fagskole {i:02d}", number="", code=f"F{i}")
    client.force_login(schools.platform_admin)
    body = client.get(reverse("catalogue:list")).content.decode()
    total = Organisation.objects.filter(kind__in=SCHOOL_KINDS).count()
    assert body.count("Administrer utdanningene til") == 10
    assert f"De første 10 av {total} skoler." in body
    assert reverse("organisations:list") in body
    client.force_login(schools.a.editor)
    body = client.get(reverse("catalogue:list")).content.decode()
    assert body.count("Administrer utdanningene til") == 1
    assert "De første" not in body
