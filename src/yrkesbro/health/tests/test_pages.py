"""Pages and API: who sees what, and bad input over HTTP."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from yrkesbro.health import indicators
from yrkesbro.health.models import Participation, Response, Round
from yrkesbro.health.tests.conftest import Pulse, values

pytestmark = pytest.mark.django_db

ROLES = ["admin", "editor", "viewer"]


def client_for(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def closed_round(pulse: Pulse) -> Round:
    round_ = pulse.start()
    for user in pulse.side_a[:3]:
        pulse.answer(round_, user, communication=2)
    for user in pulse.side_b[:3]:
        pulse.answer(round_, user, communication=5)
    return pulse.close(round_)


@pytest.mark.parametrize("side", ["a", "b"])
@pytest.mark.parametrize("role", ROLES)
def test_parties_see_the_divergence_with_the_gap(pulse: Pulse, side: str, role: str) -> None:
    closed_round(pulse)
    user = getattr(pulse.world, side).member(role)
    page = client_for(user).get(f"/health/partnerships/{pulse.partnership.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "Communication between us is open and frequent enough." in text or "Kommunikasjonen" in text
    )
    assert "3,0" in text or "3.0" in text  # the gap between 2 and 5
    api = client_for(user).get(f"/api/v1/health/partnerships/{pulse.partnership.pk}/divergence")
    assert api.status_code == 200
    first = api.json()["items"][0]
    assert (first["code"], first["gap"]) == ("communication", 3.0)


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_outsiders_get_404_or_sign_in(pulse: Pulse, who: str) -> None:
    round_ = closed_round(pulse)
    user = pulse.world.outsider if who == "outsider" else None
    c = client_for(user)
    urls = [
        f"/health/partnerships/{pulse.partnership.pk}/",
        f"/health/rounds/{round_.pk}/answer/",
    ]
    for url in urls:
        response = c.get(url)
        assert response.status_code == (404 if user else 302), url
    api = c.get(f"/api/v1/health/partnerships/{pulse.partnership.pk}/divergence")
    assert api.status_code == (404 if user else 401)
    assert c.post(f"/health/partnerships/{pulse.partnership.pk}/start/").status_code in (302, 404)
    assert Round.objects.count() == 1
    # Public indicators are open to everyone.
    indicators.refresh()
    assert c.get("/health/indicators/").status_code == 200
    assert c.get("/api/v1/indicators").status_code == 200


@pytest.mark.parametrize(
    ("role", "allowed"), [("admin", True), ("editor", False), ("viewer", False)]
)
def test_only_party_admins_start_and_close_rounds(pulse: Pulse, role: str, allowed: bool) -> None:
    user = pulse.world.b.member(role)
    c = client_for(user)
    c.post(f"/health/partnerships/{pulse.partnership.pk}/start/")
    assert Round.objects.count() == (1 if allowed else 0)
    api = c.post(f"/api/v1/health/partnerships/{pulse.partnership.pk}/rounds")
    assert api.status_code == (400 if allowed else 403)  # already open / not allowed
    round_ = Round.objects.first() or pulse.start()
    c.post(f"/health/rounds/{round_.pk}/close/")
    round_.refresh_from_db()
    assert (round_.closed_at is not None) == allowed


def test_answer_through_the_form_and_the_api(pulse: Pulse) -> None:
    round_ = pulse.start()
    form = {f"item-{code}": "4" for code in values()}
    form["item-communication"] = "dk"
    c = client_for(pulse.side_a[0])
    page = c.get(f"/health/rounds/{round_.pk}/answer/")
    assert page.status_code == 200 and 'name="item-communication"' in page.content.decode()
    response = c.post(f"/health/rounds/{round_.pk}/answer/", form)
    assert response.status_code == 302
    again = c.post(f"/health/rounds/{round_.pk}/answer/", form)
    assert again.status_code == 400
    assert Participation.objects.count() == 1
    api = client_for(pulse.side_b[0])
    mine = api.get("/api/v1/health/my-surveys").json()
    assert [s["round"]["id"] for s in mine] == [round_.pk]
    assert len(mine[0]["items"]) == 11
    ok = api.post(
        f"/api/v1/health/rounds/{round_.pk}/answers",
        json.dumps({"values": values(5), "free_text": "Bra"}),
        content_type="application/json",
    )
    assert ok.status_code == 204
    assert api.get("/api/v1/health/my-surveys").json() == []
    assert (Participation.objects.count(), Response.objects.count()) == (2, 2)


@pytest.mark.parametrize(
    "body",
    [
        {"values": values(6)},
        {"values": values(0) | {"communication": 2**65}},
        {"values": {"communication": 3}},
        {"values": values(3), "free_text": "a\x00b"},
        {"values": values(3), "free_text": "x" * 3000},
        {"values": "nope"},
        {},
    ],
)
def test_hostile_api_answers_change_nothing(pulse: Pulse, body: dict) -> None:
    round_ = pulse.start()
    response = client_for(pulse.side_a[0]).post(
        f"/api/v1/health/rounds/{round_.pk}/answers",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert "message" in response.json()
    assert (Participation.objects.count(), Response.objects.count()) == (0, 0)


@pytest.mark.parametrize("bad", ["99999999999999999999999", "-1", "abc", "0", str(2**63)])
def test_absurd_ids_answer_404(pulse: Pulse, bad: str) -> None:
    c = client_for(pulse.world.a.admin)
    for url in (
        f"/health/partnerships/{bad}/",
        f"/health/rounds/{bad}/answer/",
        f"/api/v1/health/partnerships/{bad}/divergence",
    ):
        assert c.get(url).status_code in (404, 422), url
    assert c.post(f"/health/rounds/{bad}/close/").status_code == 404
    assert c.post(f"/health/partnerships/{bad}/start/").status_code == 404


def test_hostile_form_answers_change_nothing(pulse: Pulse) -> None:
    round_ = pulse.start()
    c = client_for(pulse.side_a[0])
    form = {f"item-{code}": "4" for code in values()}
    for change in ({"item-fit": "9"}, {"item-fit": ""}, {"free_text": "\x07"}, {"item-fit": "²"}):
        response = c.post(f"/health/rounds/{round_.pk}/answer/", form | change)
        assert response.status_code == 400, change
    assert Participation.objects.count() == 0


def test_settings_bounds(pulse: Pulse) -> None:
    c = client_for(pulse.world.a.admin)
    url = f"/health/partnerships/{pulse.partnership.pk}/settings/"
    c.post(url, {"cadence_months": "99999999999999999999", "open_days": "10"})
    c.post(url, {"cadence_months": "0", "open_days": "10"})
    from yrkesbro.health.models import PulseSettings

    assert not PulseSettings.objects.exists()
    c.post(url, {"cadence_months": "3", "open_days": "10"})
    assert PulseSettings.objects.get().cadence_months == 3
    client_for(pulse.world.a.editor).post(url, {"cadence_months": "12", "open_days": "10"})
    assert PulseSettings.objects.get().cadence_months == 3


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_indicator_pages_and_exports(pulse: Pulse, lang: str) -> None:
    closed_round(pulse)
    indicators.refresh()
    c = Client(headers={"accept-language": lang})
    c.cookies["django_language"] = lang
    page = c.get("/health/indicators/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<table" in text and "data:image" not in text
    # The trend chart is inline SVG, named in the page's language.
    trend = {
        "nb": "Utvikling per kvartal",
        "nn": "Utvikling per kvartal",
        "en": "Trend per quarter",
    }
    assert re.search(rf'<svg [^>]*role="img"[^>]*><title id="ybc\d+-t">{trend[lang]}</title>', text)
    assert c.get("/health/indicators/data.csv").content.startswith(b"indicator,name,region")
    assert c.get("/health/indicators/data.xlsx").content[:2] == b"PK"
    body = c.get("/health/indicators/data.json").json()
    assert body["licence"].endswith("nlod/no/2.0") and body["items"]
    # The DCAT-AP-NO description lives in the shared catalogue; the old address moved there.
    moved = c.get("/health/indicators/dcat.jsonld")
    assert moved.status_code == 301 and moved["Location"] == "/open-data/catalog.jsonld"
    assert 'href="/open-data/"' in text and "dcat.jsonld" not in text
    catalogue = c.get("/open-data/catalog.jsonld").content.decode()
    assert "/health/indicators/data.json" in catalogue


def test_platform_admin_versions_the_item_set_through_the_api(pulse: Pulse) -> None:
    item = {"code": "goal", "kind": "scale", "nb": "Mål", "nn": "Mål", "en": "Goal"}
    url = "/api/v1/health/item-sets"
    for user, body, status in [
        (pulse.world.a.admin, {"items": [item]}, 403),
        (pulse.world.platform_admin, {"items": [item | {"nn": ""}]}, 400),
        (pulse.world.platform_admin, {"items": [item | {"en": "x" * 301}]}, 422),
        (pulse.world.platform_admin, {"items": [item | {"code": "Ugyldig kode"}]}, 400),
        (pulse.world.platform_admin, {"items": []}, 400),
    ]:
        response = client_for(user).post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == status, body
    assert client_for().get(url).json() == []
    ok = client_for(pulse.world.platform_admin).post(
        url, json.dumps({"items": [item], "note": "Kort"}), content_type="application/json"
    )
    assert ok.status_code == 201 and ok.json()["version"] == 1
    assert [s["version"] for s in client_for().get(url).json()] == [1]


def test_my_open_rounds_are_the_rounds_i_am_asked_in(pulse: Pulse) -> None:
    """The waiting-surveys list decides "asked" in SQL for one person; it must agree with
    ``services.respondents`` (the list the invitations go to) for everyone: representatives,
    a liaison who is a member of a party, a liaison who is not, and everyone else."""
    from yrkesbro.accounts.models import User
    from yrkesbro.collaboration.models import Liaison
    from yrkesbro.health import selectors, services
    from yrkesbro.testing import UserFactory

    liaison = pulse.side_b.pop()  # a member of party B, now asked only as a liaison
    pulse.partnership.representatives.filter(user=liaison).delete()
    Liaison.objects.create(partnership=pulse.partnership, user=liaison)
    outsider = UserFactory(username="liaison-outside")  # a liaison of no party: not asked
    Liaison.objects.create(partnership=pulse.partnership, user=outsider)
    first = pulse.start()
    pulse.answer(first, pulse.side_a[0])
    for user in User.objects.all():
        expected = [
            r
            for r in Round.objects.filter(closed_at__isnull=True).order_by("closes_on", "id")
            if user.pk in services.respondents(r.partnership)
            and not r.participations.filter(user=user).exists()
        ]
        assert selectors.my_open_rounds(user) == expected, user.username
    assert selectors.my_open_rounds(liaison) == [first]
    assert selectors.my_open_rounds(outsider) == []
    assert selectors.my_open_rounds(pulse.side_a[0]) == []  # answered
