"""One test per scoring factor, on plain records (no database), plus the weights and ranking."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from yrkesbro.matching import scoring

DEADLINE = dt.date(2028, 6, 30)
NEED = scoring.NeedInput(
    id=1,
    place="Gjøvik",
    lat=60.7957,
    lon=10.6916,
    people=12,
    deadline=DEADLINE,
    max_travel_km=100,
    plan_areas={7: ("DEMENS", ("Demens",))},
    words=scoring.terms("Hjemmetjenesten trenger kompetanse på demens og kognitiv svikt"),
)
OFFERING = scoring.OfferingInput(
    id=10,
    programme_id=3,
    school_id=2,
    plan_id=7,
    delivery="blended",
    pace="part-time",
    place="Hamar",
    lat=60.7945,
    lon=11.0680,
    start_date=dt.date(2027, 8, 16),
    seats=28,
    status="open",
    funding="state-funded",
    price_nok=0,
    terms=frozenset(scoring.terms("Demensomsorg: kunnskap om demens og kognitiv svikt")),
)


def offer(**kw: object) -> scoring.OfferingInput:
    return dataclasses.replace(OFFERING, **kw)  # type: ignore[arg-type]


def need(**kw: object) -> scoring.NeedInput:
    return dataclasses.replace(NEED, **kw)  # type: ignore[arg-type]


def test_weights_are_in_one_place_and_sum_to_one() -> None:
    assert set(scoring.WEIGHTS) == {f(NEED, OFFERING).code for f in scoring.FACTOR_FUNCTIONS}
    assert sum(scoring.WEIGHTS.values()) == pytest.approx(1.0)


def test_area_overlap_through_the_plan_mapping() -> None:
    f = scoring.area_factor(NEED, OFFERING)
    assert f.score == 1.0 and f.text == "Covers Demens via national plan DEMENS"
    assert scoring.area_factor(NEED, offer(plan_id=99)).score == 0.0
    two_areas = need(area_count=2)
    assert scoring.area_factor(two_areas, OFFERING).score == 0.5
    assert scoring.area_factor(NEED, offer(plan_id=None)).key == "area.none"


def test_content_similarity_counts_the_needs_words_found_in_the_programme() -> None:
    f = scoring.content_factor(NEED, OFFERING)
    assert 0 < f.score < 1
    assert "demens" in f.text and "kognitiv" in f.text
    assert scoring.content_factor(NEED, offer(terms=frozenset())).score == 0.0
    assert scoring.content_factor(need(words={}), OFFERING).key == "content.empty"


def test_delivery_fit() -> None:
    assert scoring.delivery_factor(NEED, OFFERING).score == 1.0
    assert scoring.delivery_factor(need(online_ok=False), offer(delivery="online")).score == 0.0
    assert scoring.delivery_factor(NEED, offer(delivery="online")).score == 1.0
    assert scoring.delivery_factor(NEED, offer(pace="full-time")).score == scoring.FULL_TIME_FIT
    assert scoring.delivery_factor(need(part_time_ok=False), OFFERING).score == 0.5
    evenings = scoring.delivery_factor(need(evenings_ok=True), offer(delivery="online"))
    assert "evenings" in evenings.text


def test_distance_by_haversine_with_online_reachable_and_a_penalty_beyond_max_travel() -> None:
    near = scoring.distance_factor(NEED, OFFERING)
    assert near.text == "20 km from Gjøvik to Hamar"
    assert 0.85 < near.score < 0.95
    online = scoring.distance_factor(NEED, offer(delivery="online", lat=None, lon=None))
    assert online.score == 1.0 and "Online" in online.text
    far = scoring.distance_factor(NEED, offer(place="Bergen", lat=60.3913, lon=5.3221))
    assert far.score == scoring.FAR_PENALTY
    assert "beyond the maximum of 100 km" in far.text
    assert scoring.haversine_km(60.7957, 10.6916, 60.3913, 5.3221) == pytest.approx(297, abs=3)


def test_start_before_the_deadline() -> None:
    f = scoring.start_factor(NEED, OFFERING)
    assert f.score == 1.0 and f.text == "Starts 16 Aug 2027, before your deadline 30 Jun 2028"
    late = scoring.start_factor(NEED, offer(start_date=dt.date(2028, 8, 1)))
    assert late.score == 0.0 and "after your deadline" in late.text


def test_seats_against_people() -> None:
    assert scoring.seats_factor(NEED, OFFERING).text == "28 seats for your 12 people"
    assert scoring.seats_factor(NEED, offer(seats=6)).score == pytest.approx(0.5)
    assert scoring.seats_factor(NEED, offer(status="full")).score == 0.0
    assert scoring.seats_factor(NEED, offer(seats=None)).score == 0.5


def test_funding() -> None:
    assert scoring.funding_factor(NEED, OFFERING).score == 1.0
    tuition = scoring.funding_factor(NEED, offer(funding="tuition", price_nok=54_000))
    assert tuition.score == pytest.approx(0.46)
    assert "54" in tuition.text and "000" in tuition.text
    assert scoring.funding_factor(NEED, offer(funding="employer-funded")).score == 0.5


def test_total_is_the_weighted_sum_and_ranking_is_stable() -> None:
    match = scoring.score(NEED, OFFERING)
    assert match.score == pytest.approx(sum(f.weight * f.score for f in match.factors))
    other_area = offer(id=11, plan_id=99)
    far = offer(id=12, place="Bergen", lat=60.3913, lon=5.3221)
    twin = offer(id=9)
    ranked = scoring.rank(NEED, [far, other_area, OFFERING, twin])
    assert [m.offering_id for m in ranked] == [9, 10, 11, 12]


def test_stored_factors_round_trip() -> None:
    f = scoring.area_factor(NEED, OFFERING)
    again = scoring.Factor.from_dict(f.as_dict())
    assert again.text == f.text and again.score == f.score


def test_fast_total_equals_the_explained_score_on_random_inputs() -> None:
    import random

    rng = random.Random(3)
    for _ in range(2000):
        n = need(
            online_ok=rng.random() < 0.7,
            part_time_ok=rng.random() < 0.7,
            max_travel_km=rng.choice([None, 30, 100, 400]),
            area_count=rng.randint(1, 3),
            words=rng.choice([{}, NEED.words]),
            lat=rng.choice([None, 60.0 + rng.random() * 9]),
        )
        o = offer(
            id=rng.randint(1, 50),
            plan_id=rng.choice([None, 7, 8]),
            delivery=rng.choice(["campus", "online", "blended"]),
            pace=rng.choice(["part-time", "full-time"]),
            lat=58 + rng.random() * 12,
            lon=5 + rng.random() * 20,
            start_date=dt.date(2027, 1, 1) + dt.timedelta(days=rng.randint(0, 900)),
            seats=rng.choice([None, 0, 5, 40]),
            status=rng.choice(["open", "full", "planned"]),
            funding=rng.choice(["state-funded", "tuition", "employer-funded"]),
            price_nok=rng.choice([0, 20_000, 150_000]),
            terms=rng.choice([frozenset(), OFFERING.terms]),
        )
        assert scoring.total(n, o) == scoring.score(n, o).score


def test_an_irrelevant_offering_scores_zero_and_is_not_ranked() -> None:
    """No area of the need in its plan and none of the need's words: however convenient
    (online, state-funded, early, seats), a sterile-supply course is no match."""
    sterile = offer(
        id=99,
        plan_id=8,
        delivery="online",
        terms=frozenset(scoring.terms("Sterilforsyning: rengjøring og sterilisering av utstyr")),
    )
    assert not scoring.is_relevant(NEED, sterile)
    assert scoring.score(NEED, sterile).score == 0.0
    assert scoring.total(NEED, sterile) == 0.0
    ranked = scoring.rank(NEED, [sterile, OFFERING])
    assert [m.offering_id for m in ranked] == [OFFERING.id]
    assert [m.offering_id for m in scoring.rank(NEED, [sterile, OFFERING], limit=5)] == [10]
    # Words alone (no plan) still make it relevant, and it keeps its ordinary score.
    words_only = offer(id=98, plan_id=None)
    assert scoring.is_relevant(NEED, words_only)
    assert scoring.score(NEED, words_only).score == scoring.total(NEED, words_only) > 0


def random_catalogue(rng: random.Random, size: int) -> list[scoring.OfferingInput]:
    words = ["demens", "kognitiv", "svikt", "omsorg", "helse", "rus", "psykisk", "barn"]
    return [
        offer(
            id=i,
            plan_id=rng.choice([None, 7, 8, 9]),
            area_ids=frozenset(rng.sample([1, 2, 3, 4], rng.randint(0, 2))),
            delivery=rng.choice(["campus", "online", "blended"]),
            pace=rng.choice(["part-time", "full-time"]),
            lat=rng.choice([None, 58 + rng.random() * 12]),
            lon=5 + rng.random() * 20,
            start_date=dt.date(2027, 1, 1) + dt.timedelta(days=rng.randint(0, 900)),
            seats=rng.choice([None, 0, 5, 40]),
            status=rng.choice(["open", "full", "planned"]),
            funding=rng.choice(["state-funded", "tuition", "employer-funded"]),
            price_nok=rng.choice([0, 20_000, 150_000]),
            terms=frozenset(scoring.analysis.stem(w) for w in rng.sample(words, rng.randint(0, 4))),
        )
        # ids shuffled so that ties are not broken by the list's order
        for i in rng.sample(range(1, size * 3), size)
    ]


def random_need(rng: random.Random) -> scoring.NeedInput:
    names = {1: ("Demens",) * 3, 2: ("Rus",) * 3, 3: ("Psykisk helse",) * 3, 4: ("Barn",) * 3}
    areas = rng.sample(sorted(names), rng.randint(0, 3))
    plans = {
        plan: (f"P{plan}", tuple(names[a] for a in areas if rng.random() < 0.6))
        for plan in rng.sample([7, 8, 9], rng.randint(0, 2))
    }
    return need(
        online_ok=rng.random() < 0.7,
        part_time_ok=rng.random() < 0.7,
        max_travel_km=rng.choice([None, 30, 100, 400]),
        area_count=max(1, len(areas)),
        area_names={a: names[a] for a in areas},
        plan_areas=plans,
        words=scoring.terms(" ".join(rng.sample(["demens", "omsorg", "rus", "barn"], 2)))
        if rng.random() < 0.8
        else {},
        lat=rng.choice([None, 60.0 + rng.random() * 9]),
    )


def test_the_candidate_index_ranks_exactly_as_scoring_every_offering() -> None:
    """``Candidates`` reads only what can place and stops at the bound: the same matches,
    scores, explanations and order as the plain list, for any limit."""
    rng = random.Random(11)
    for _ in range(300):
        catalogue = random_catalogue(rng, rng.randint(0, 60))
        indexed = scoring.Candidates(catalogue)
        n = random_need(rng)
        for limit in (None, 1, 3, 25):
            plain = scoring.rank(n, catalogue, limit)
            fast = scoring.rank(n, indexed, limit)
            assert [(m.offering_id, m.score) for m in fast] == [
                (m.offering_id, m.score) for m in plain
            ]
            assert [f.as_dict() for m in fast for f in m.factors] == [
                f.as_dict() for m in plain for f in m.factors
            ]


def test_the_candidate_index_scores_only_what_can_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Of many relevant offerings, a limit of 3 scores few: the bound stops the rest."""
    far_words = [offer(id=100 + i, plan_id=None, lat=69.6, lon=18.9) for i in range(200)]
    best = [offer(id=i) for i in range(1, 6)]
    indexed = scoring.Candidates(far_words + best)
    scored: list[int] = []
    real_total = scoring.total

    def counting(n: scoring.NeedInput, o: scoring.OfferingInput) -> float:
        scored.append(o.id)
        return real_total(n, o)

    monkeypatch.setattr(scoring, "total", counting)
    ranked = scoring.rank(NEED, indexed, 3)
    assert [m.offering_id for m in ranked] == [1, 2, 3]
    assert len(set(scored)) == 5  # the five with the plan; the 200 word-only ones never
