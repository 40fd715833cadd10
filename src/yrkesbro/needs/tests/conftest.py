from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yrkesbro.catalogue.reference import load_national_plans
from yrkesbro.needs import services
from yrkesbro.needs.models import Need, Visibility
from yrkesbro.taxonomy.reference import load_competence_areas


@pytest.fixture
def areas(db):  # type: ignore[no-untyped-def]
    load_national_plans()
    load_competence_areas()


def future(days: int = 200) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def need_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "unit": "Hjemmetjenesten",
        "service_area": "health",
        "people": 12,
        "deadline": future(),
        "urgency": "high",
        "drivers": ["ageing", "home_based"],
        "description": "Flere brukere med demens bor hjemme lenger.",
    }
    data.update(overrides)
    return data


def make_need(
    actor, org, *, codes=("demens",), publish=False, visibility=Visibility.PRIVATE, **kw
) -> Need:  # type: ignore[no-untyped-def]
    need = services.need_create(
        actor=actor,
        organisation=org,
        data=need_data(visibility=visibility, **kw),
        area_codes=list(codes),
    )
    if publish:
        need = services.need_publish(actor=actor, need=need)
    return need
