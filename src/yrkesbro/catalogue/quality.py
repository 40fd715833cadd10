"""Measuring search quality on the labelled query set: hit@3 and MRR, ours against plain BM25.

Shared by the test suite (which asserts thresholds) and ``bench/search.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from yrkesbro.catalogue import search
from yrkesbro.catalogue.models import Programme

Ranker = Callable[[str], list[int]]


def evaluate(
    ranker: Ranker, queries: Iterable[tuple[str, set[str]]]
) -> tuple[float, float, list[str]]:
    """(hit@3, MRR, queries whose first hit is not relevant) with plan codes as relevance."""
    plan_of = dict(Programme.objects.values_list("id", "national_plan__code"))
    queries = list(queries)
    hit3 = mrr = 0.0
    misses = []
    for query, wanted in queries:
        ranked = [plan_of.get(pid) for pid in ranker(query)]
        for position, code in enumerate(ranked, start=1):
            if code in wanted:
                mrr += 1 / position
                hit3 += position <= 3
                if position > 1:
                    misses.append(query)
                break
        else:
            misses.append(query)
    n = len(queries) or 1
    return hit3 / n, mrr / n, misses


def ours() -> Ranker:
    return lambda q: [h.programme_id for h in search.rank(q)]


def baseline() -> Ranker:
    """Plain BM25 over each programme's title, description, outcomes and plan title."""
    docs = {}
    for p in Programme.objects.select_related("national_plan"):
        plan = p.national_plan.title_nb if p.national_plan else ""
        docs[p.pk] = " ".join(
            [
                p.title,
                p.description,
                p.outcomes_knowledge,
                p.outcomes_skills,
                p.outcomes_general_competence,
                plan,
            ]
        )
    return lambda q: search.bm25_baseline(q, docs)
