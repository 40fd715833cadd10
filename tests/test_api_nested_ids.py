"""Issue 14, finding 6: no API answer nests the id of an object the caller may not read.

Two checks. First, every id field of every response schema in the OpenAPI
document is classified here: an id of a scoped model (with the query set that
says who may read it), a public one, or no id at all. A new serializer with an
unclassified id field fails, so its author decides. Second, with the demo data
and a shared plan that holds private drafts, every list endpoint is read as
several people and each nested scoped id is checked against what they may read.
"""

from __future__ import annotations

from typing import Any

import pytest

from yrkesbro.core.api_root import api

pytestmark = pytest.mark.django_db


def _scoped() -> dict[str, Any]:
    from yrkesbro.collaboration.models import Agreement, Forum, Meeting, Partnership
    from yrkesbro.health.models import Round
    from yrkesbro.matching.models import Request
    from yrkesbro.needs.models import CompetencePlan, Need
    from yrkesbro.vet.models import Offer
    from yrkesbro.workforce.models import Employee

    return {
        "needs": Need,
        "need_id": Need,
        "plan_id": CompetencePlan,
        "forum_id": Forum,
        "meeting_id": Meeting,
        "partnership_id": Partnership,
        "agreement_id": Agreement,
        "request_id": Request,
        "round_id": Round,
        "employee_id": Employee,
        "offer_id": Offer,
    }


# Ids of things anyone may read (the catalogue, organisations) or numbers that are no ids.
PUBLIC_IDS = {
    "offering_id",
    "programme_id",
    "school_id",
    "organisation_id",
    "municipality_id",
    "workplace_id",  # an organisation (public), the company or school hosting a hospitering
}
NOT_IDS = {"versions"}  # agreement version numbers
INPUT_SUFFIXES = ("In", "Patch", "Filter", "Create", "Query")


def _id_fields(spec: dict[str, Any]) -> list[str]:
    found = []
    for prop, field in (spec.get("properties") or {}).items():
        if prop == "id":
            continue
        items = field.get("items") or {}
        if prop.endswith(("_id", "_ids")) or (
            field.get("type") == "array" and items.get("type") == "integer"
        ):
            found.append(prop)
    return found


def test_every_nested_id_in_a_response_schema_is_classified():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    scoped = _scoped()
    unknown = {
        f"{name}.{prop}"
        for name, spec in schemas.items()
        if not name.endswith(INPUT_SUFFIXES)
        for prop in _id_fields(spec)
        if prop not in scoped and prop not in PUBLIC_IDS and prop not in NOT_IDS
    }
    assert not unknown, f"classify these id fields (scoped or public): {sorted(unknown)}"


def _walk(value: Any, found: dict[str, set[int]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            # "needs" is a list of ids in a plan but a count elsewhere: only lists are ids.
            plural = not key.endswith("_id")
            if key in _scoped() and (isinstance(inner, list) if plural else True):
                ids = inner if isinstance(inner, list) else [inner]
                found.setdefault(key, set()).update(i for i in ids if isinstance(i, int))
            else:
                _walk(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _walk(inner, found)


def _list_paths() -> list[str]:
    paths = api.get_openapi_schema()["paths"]
    return sorted(p for p, ops in paths.items() if "get" in ops and "{" not in p)


def test_list_endpoints_nest_only_readable_ids(client, world):
    from yrkesbro.accounts.models import User
    from yrkesbro.core.demo import load_demo
    from yrkesbro.needs import services
    from yrkesbro.needs.models import Visibility

    load_demo()
    # A shared plan of Alfa's holding a private draft, and a shared need in a private plan.
    from django.utils import timezone

    def need(visibility: str, publish: bool = False):  # type: ignore[no-untyped-def]
        n = services.need_create(
            actor=world.a.editor,
            organisation=world.a.org,
            data={
                "unit": f"Enhet {visibility} {publish}",
                "service_area": "health",
                "people": 2,
                "deadline": timezone.localdate() + timezone.timedelta(days=100),
                "visibility": visibility,
            },
            area_codes=["demens"],
        )
        return services.need_publish(actor=world.a.editor, need=n) if publish else n

    shared_plan = services.plan_create(
        actor=world.a.editor,
        organisation=world.a.org,
        data={"title": "Delt", "start_year": 2026, "end_year": 2027, "visibility": "shared"},
    )
    private_plan = services.plan_create(
        actor=world.a.editor,
        organisation=world.a.org,
        data={"title": "Privat", "start_year": 2026, "end_year": 2027},
    )
    services.plan_set_needs(
        actor=world.a.editor,
        plan=shared_plan,
        need_ids=[need(Visibility.PRIVATE).pk, need(Visibility.PRIVATE, publish=True).pk],
    )
    services.plan_set_needs(
        actor=world.a.editor, plan=private_plan, need_ids=[need(Visibility.PRIVATE, True).pk]
    )

    readers = [world.b.admin, world.a.viewer, *User.objects.filter(username__startswith="demo-")]
    scoped = _scoped()
    checked = 0
    for user in readers:
        client.force_login(user)
        found: dict[str, set[int]] = {}
        for path in _list_paths():
            url = path if path.startswith("/api/") else f"/api/v1{path}"
            response = client.get(f"{url}?limit=100")
            if response.status_code == 200:
                _walk(response.json(), found)
        for key, ids in found.items():
            readable = set(
                scoped[key].objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
            )
            assert ids <= readable, f"{user.username} sees {key} {sorted(ids - readable)}"
            checked += len(ids)
    assert checked > 10, checked
