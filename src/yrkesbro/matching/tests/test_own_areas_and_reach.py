"""A programme's own competence areas count in matching (plan areas ∪ own areas), stored
matches go stale when they change, and online offerings are within reach from everywhere
(school demand and gaps)."""

from __future__ import annotations

import dataclasses

from django.utils import translation

from yrkesbro.catalogue import services as catalogue_services
from yrkesbro.catalogue.models import Programme
from yrkesbro.matching import scoring, selectors, tasks
from yrkesbro.matching.models import MatchResult
from yrkesbro.organisations.models import Organisation
from yrkesbro.testing import OrganisationFactory

from .conftest import Setup, make_need, offering
from .test_scoring import NEED, OFFERING

MULTI = ("Flerspråklig og flerkulturell kompetanse", "Fleirspråkleg", "Multicultural competence")


def test_own_areas_join_the_plan_areas_without_counting_twice() -> None:
    need = dataclasses.replace(
        NEED,
        area_count=2,
        area_names={1: "Demens", 2: MULTI},
        plan_areas={7: ("DEMENS", ("Demens",))},
    )
    # Only its own area: half of the need's two areas.
    own_only = dataclasses.replace(OFFERING, plan_id=None, area_ids=frozenset({2}))
    f = scoring.area_factor(need, own_only)
    assert f.score == 0.5 and f.key == "area.own"
    assert f.text == "Covers Multicultural competence, competence areas the programme names itself"
    # Plan and own area together cover both; the plan's own area again counts once.
    both = dataclasses.replace(OFFERING, area_ids=frozenset({1, 2}))
    f = scoring.area_factor(need, both)
    assert f.score == 1.0 and f.key == "area.covers_own"
    assert "via national plan DEMENS" in f.text and "Multicultural" in f.text
    with translation.override("nb"):
        assert "Flerspråklig" in scoring.Factor.from_dict(f.as_dict()).text
    # The fast total agrees with the explained score, and relevance follows own areas.
    for o in (own_only, both, dataclasses.replace(OFFERING, plan_id=None, area_ids=frozenset({9}))):
        assert scoring.total(need, o) == scoring.score(need, o).score
    unrelated = dataclasses.replace(
        OFFERING, plan_id=None, area_ids=frozenset({9}), terms=frozenset()
    )
    assert scoring.area_factor(need, unrelated).key == "area.own_other"
    assert not scoring.is_relevant(need, unrelated)
    assert scoring.score(need, unrelated).score == 0.0
    assert scoring.is_relevant(need, dataclasses.replace(unrelated, area_ids=frozenset({2})))


def _multicultural_programme(setup: Setup, areas: list[str]) -> Programme:
    return catalogue_services.programme_create(
        actor=setup.school.editor,
        school=setup.school.org,
        data={
            "title": "Helse på tvers av kulturer",
            "field": "health",
            "credits": 60,
            "description": "Om kommunikasjon på tvers av språk og kultur.",
            "competence_areas": areas,
        },
    )


def test_a_programme_without_a_plan_matches_through_its_own_area(setup: Setup) -> None:
    need = make_need(
        setup.world.a.org, ["flerkulturell"], description="Mange brukere med annen bakgrunn."
    )
    programme = _multicultural_programme(setup, ["flerkulturell"])
    assert programme.national_plan is None
    hamar = Organisation.objects.get(name="Hamar")
    mine = offering(programme, hamar)
    shown, _ = selectors.need_matches(need)
    assert [s.offering.pk for s in shown] == [mine.pk]
    area = next(f for f in shown[0].factors if f.code == "area")
    assert area.score == 1.0 and area.key == "area.own"
    # The dementia need has nothing in common with it: not shown.
    assert mine.pk not in {s.offering.pk for s in selectors.need_matches(setup.need)[0]}


def test_changing_own_areas_marks_the_needs_with_those_areas_stale(setup: Setup) -> None:
    multi_need = make_need(
        setup.world.a.org, ["flerkulturell"], description="Mange med annen språklig bakgrunn."
    )
    cancer_need = make_need(setup.world.a.org, ["kreft"], description="Kreft.")
    own = offering(_multicultural_programme(setup, ["flerkulturell"]), None)
    tasks.store(multi_need)
    assert list(MatchResult.objects.filter(need=multi_need).values_list("offering", flat=True)) == [
        own.pk
    ]
    tasks.store(cancer_need)
    assert not MatchResult.objects.filter(stale=True).exists()
    # Adding an own area to the dementia programme can move the multicultural need only.
    catalogue_services.programme_update(
        actor=setup.school.editor,
        programme=setup.dementia,
        data={"competence_areas": ["flerkulturell"]},
    )
    assert set(MatchResult.objects.filter(need=multi_need).values_list("stale", flat=True)) == {
        True
    }
    assert not MatchResult.objects.filter(need=cancer_need, stale=True).exists()
    assert tasks.refresh_stale_now() >= 1
    ranked = set(MatchResult.objects.filter(need=multi_need).values_list("offering_id", flat=True))
    assert setup.near.pk in ranked  # the dementia offerings now cover the area
    # Saving an offering of a programme with own areas marks those areas' needs too.
    MatchResult.objects.update(stale=False)
    offering(setup.dementia, Organisation.objects.get(name="Hamar"))
    assert not MatchResult.objects.filter(need=multi_need, stale=False).exists()
    # Removing it again: the need is stale, and recomputed without those offerings.
    MatchResult.objects.update(stale=False)
    catalogue_services.programme_update(
        actor=setup.school.editor, programme=setup.dementia, data={"competence_areas": []}
    )
    assert not MatchResult.objects.filter(need=multi_need, stale=False).exists()
    tasks.refresh_stale_now()
    ranked = set(MatchResult.objects.filter(need=multi_need).values_list("offering_id", flat=True))
    assert setup.near.pk not in ranked


def test_own_areas_count_as_covered_in_the_school_demand(setup: Setup) -> None:
    make_need(setup.world.a.org, ["flerkulturell"], people=4)
    demand = selectors.school_demand(setup.school.org)
    multi = next(a for a in demand.areas if a.code == "flerkulturell")
    assert not multi.covered
    _multicultural_programme(setup, ["flerkulturell"])
    demand = selectors.school_demand(setup.school.org)
    multi = next(a for a in demand.areas if a.code == "flerkulturell")
    assert multi.covered
    assert "flerkulturell" in selectors.school_area_codes(setup.school.org)


def test_an_online_school_reaches_needs_anywhere_in_its_areas(setup: Setup) -> None:
    """Vestland (at Bergen) is far beyond 150 km of Alfa (at Gjøvik): with a campus offering
    only it does not reach Alfa's dementia need; with an online one it does, wherever the
    need is, when the staff can attend online teaching."""
    school = setup.other_school.org
    assert setup.need.pk not in {
        d.need.pk for d in selectors.school_demand(school).page(1).object_list
    }
    online = offering(Programme.objects.get(title="Demensomsorg Vest"), None)
    offline_only = make_need(setup.world.a.org, ["demens"], online_ok=False, people=2)
    other_area = make_need(setup.world.a.org, ["kreft"], people=3)
    demand = selectors.school_demand(school)
    reached = {d.need.pk: d for d in demand.page(1).object_list}
    assert setup.need.pk in reached
    assert reached[setup.need.pk].km is not None and reached[setup.need.pk].km > 150
    assert reached[setup.need.pk].matching
    assert offline_only.pk not in reached  # its staff cannot attend online teaching
    assert other_area.pk not in reached  # no online offering in its area
    assert setup.world.a.org in {lead.organisation for lead in demand.leads}
    # An offering that has started, or is full, reaches nobody.
    online.status = "full"
    online.save()
    assert setup.need.pk not in {
        d.need.pk for d in selectors.school_demand(school).page(1).object_list
    }


def test_the_school_page_shows_needs_reached_online(setup: Setup, client) -> None:  # type: ignore[no-untyped-def]
    offering(Programme.objects.get(title="Demensomsorg Vest"), None)
    client.force_login(setup.other_school.viewer)
    page = client.get(f"/matching/schools/{setup.other_school.org.pk}/")
    assert page.status_code == 200
    assert setup.need.unit in page.content.decode()


def test_online_offerings_are_in_reach_of_every_municipality_in_the_gaps(setup: Setup) -> None:
    """A need at Tromsø with 10 km reach has no campus offering near, but the online
    dementia offering counts from everywhere, so nobody there is unmet until it is full."""
    tromso = OrganisationFactory(name="Tromsø", latitude=69.6496, longitude=18.9560)
    far_need = make_need(tromso, ["demens"], people=7, max_travel_km=10)
    rows = {r.code: r for r in selectors.compute_gaps(selectors.Region())}
    assert rows["demens"].people_unmet == 0
    assert rows["demens"].offerings_in_reach == 2  # Hamar (for Alfa) and online
    setup.online.status = "full"
    setup.online.save()
    rows = {r.code: r for r in selectors.compute_gaps(selectors.Region())}
    assert rows["demens"].people_unmet == far_need.people
    assert rows["demens"].offerings_in_reach == 1
