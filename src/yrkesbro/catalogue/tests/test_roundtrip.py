"""Export → import is the identity: re-importing an unchanged export changes nothing.

Random catalogues (texts that start like formulas, with apostrophes, commas,
semicolons, quotes, line breaks and any script; own competence areas) are exported as
CSV and XLSX in the import's own columns and imported back; every stored field stays
the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yrkesbro.catalogue import importer, services
from yrkesbro.catalogue.models import Offering, Programme

# Characters a person can type: no control characters, surrogates or line separators.
_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn"))
_TRICKY_STARTS = st.sampled_from(["", "=", "+", "-", "@", "'", "''", "＝", "－", '"', ";", ","])


def _line(max_size: int) -> st.SearchStrategy[str]:
    return st.builds(
        lambda start, rest: (start + rest).strip()[:max_size],
        _TRICKY_STARTS,
        st.text(_CHARS, max_size=40),
    ).filter(bool)


def _text() -> st.SearchStrategy[str]:
    return st.builds(
        lambda start, parts: (start + "\n".join(parts)).strip(),
        _TRICKY_STARTS,
        st.lists(st.text(_CHARS, max_size=30), max_size=3),
    )


# Own competence areas (beyond the plan): codes of the shipped taxonomy, in any order.
_AREAS = st.lists(
    st.sampled_from(["demens", "flerkulturell", "kreft", "veiledning", "ikt-digital"]),
    max_size=3,
)
_DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))

PROGRAMME = st.fixed_dictionaries(
    {
        "title": _line(200),
        "description": _text(),
        "outcomes_knowledge": _text(),
        "outcomes_skills": _text(),
        "outcomes_general_competence": _text(),
        "admission_requirements": _text(),
        "nokut_accredited_on": st.none() | _DATES,
        "competence_areas": _AREAS,
    }
)
OFFERING = st.fixed_dictionaries(
    {
        "place": _line(200) | st.just(""),
        "start_date": _DATES,
        "semesters": st.integers(1, 8),
        "seats": st.none() | st.integers(0, 10_000),
        "price_nok": st.integers(0, 1_000_000),
        "end_later": st.none() | st.integers(1, 900),
    }
)

PROGRAMME_FIELDS = [
    "code",
    "school_id",
    "national_plan_id",
    "title",
    "field",
    "credits",
    "nkr_level",
    "description",
    "outcomes_knowledge",
    "outcomes_skills",
    "outcomes_general_competence",
    "admission_requirements",
    "nokut_accredited_on",
]
OFFERING_FIELDS = [
    "code",
    "programme_id",
    "municipality_id",
    "place",
    "delivery",
    "pace",
    "start_date",
    "end_date",
    "semesters",
    "seats",
    "funding",
    "price_nok",
    "application_deadline",
    "status",
]


def _snapshot() -> tuple[list[Any], list[Any], list[Any]]:
    return (
        list(Programme.objects.order_by("pk").values_list(*PROGRAMME_FIELDS)),
        list(Offering.objects.order_by("pk").values_list(*OFFERING_FIELDS)),
        sorted(
            Programme.competence_areas.through.objects.values_list(
                "programme_id", "competencearea__code"
            )
        ),
    )


@pytest.fixture
def areas(schools):  # type: ignore[no-untyped-def]
    from yrkesbro.taxonomy.reference import load_competence_areas

    load_competence_areas()
    return schools


@given(
    programmes=st.lists(st.tuples(PROGRAMME, st.lists(OFFERING, max_size=2)), max_size=3),
    fmt=st.sampled_from(["csv", "xlsx"]),
)
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_export_then_import_changes_nothing(areas, programmes, fmt):  # type: ignore[no-untyped-def]
    school = areas.a.school
    with transaction.atomic():
        savepoint = transaction.savepoint()
        for i, (values, offerings) in enumerate(programmes):
            programme = services.programme_create(
                actor=None,
                school=school,
                data={
                    **values,
                    "code": f"rt-{i}",
                    "field": "health",
                    "credits": 60,
                    "nkr_level": "5.1",
                },
            )
            for j, offering in enumerate(offerings):
                offering = dict(offering)
                later = offering.pop("end_later")
                services.offering_create(
                    actor=None,
                    programme=programme,
                    data={
                        **offering,
                        "code": f"RT-{i}-{j}",
                        "delivery": "online",
                        "pace": "part-time",
                        "funding": "state-funded",
                        "end_date": offering["start_date"] + dt.timedelta(days=later)
                        if later
                        else None,
                    },
                )
        before = _snapshot()
        assert sum(len(values["competence_areas"]) for values, _o in programmes) == 0 or before[2]
        chosen = Programme.objects.all()
        for kind in ("programmes", "offerings"):
            if not (Programme if kind == "programmes" else Offering).objects.exists():
                continue  # a file with only a header is refused as "no rows"
            data = importer.export_file(kind, chosen, fmt)
            parsed = importer.parse(kind, data, f"export.{fmt}")
            assert not parsed.errors, [str(e) for e in parsed.errors]
            importer.apply(parsed, actor=None)
        assert _snapshot() == before
        transaction.savepoint_rollback(savepoint)
