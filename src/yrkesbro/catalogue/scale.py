"""Synthetic programmes for benchmarks and scale tests (``generate_programmes``).

Texts are recombined from the programmes already in the catalogue (load the
reference catalogue first), so the vocabulary and term statistics stay
realistic. Rows are marked ``is_demo`` with codes ``SYN-<n>`` and written in
bulk, index included; ``remove_generated`` deletes them again.
"""

from __future__ import annotations

import random

from django.db import transaction

from yrkesbro.catalogue import search
from yrkesbro.catalogue.models import Programme, SearchTerm

PREFIX = "SYN-"
BATCH = 500


def _shuffle_words(rng: random.Random, texts: list[str], n_words: int) -> str:
    words = [w for t in rng.sample(texts, k=min(3, len(texts))) for w in t.split()]
    rng.shuffle(words)
    return " ".join(words[:n_words])


@transaction.atomic
def generate_programmes(n: int, *, seed: int = 1) -> int:
    """Add synthetic programmes until the catalogue holds ``n``; returns how many were added."""
    have = Programme.objects.count()
    if have >= n:
        return 0
    rng = random.Random(seed + have)  # noqa: S311 - synthetic benchmark data
    models = list(
        Programme.objects.exclude(code__startswith=PREFIX).select_related("national_plan")
    )
    if not models:
        raise ValueError("Load the reference catalogue first (yrkesbro demo).")
    descriptions = [p.description for p in models if p.description]
    areas = {
        p.national_plan.pk: search.plan_areas_text(p.national_plan)
        for p in models
        if p.national_plan
    }
    start = Programme.objects.filter(code__startswith=PREFIX).count()
    added = 0
    while added < n - have:
        batch = []
        for i in range(min(BATCH, n - have - added)):
            model = rng.choice(models)
            number = start + added + i + 1
            programme = Programme(
                school_id=model.school_id,
                national_plan=model.national_plan,
                code=f"{PREFIX}{number}",
                title=f"{model.title} {rng.choice(['', 'II', 'fordypning', 'videreutdanning'])}".strip(),
                field=model.field,
                credits=model.credits,
                nkr_level=model.nkr_level,
                description=_shuffle_words(rng, descriptions, rng.randint(30, 60)),
                outcomes_knowledge=model.outcomes_knowledge,
                outcomes_skills=model.outcomes_skills,
                outcomes_general_competence=model.outcomes_general_competence,
                is_demo=True,
            )
            programme._texts = search.document_fields(programme, areas)  # type: ignore[attr-defined]
            batch.append(programme)
        terms: list[SearchTerm] = []
        for programme in batch:
            counts, programme.search_length = search.document_terms(programme._texts)  # type: ignore[attr-defined]
            programme._counts = counts  # type: ignore[attr-defined]
        Programme.objects.bulk_create(batch)
        for programme in batch:
            terms.extend(
                SearchTerm(programme=programme, term=term, field=field_no, tf=tf)
                for (term, field_no), tf in programme._counts.items()  # type: ignore[attr-defined]
            )
        SearchTerm.objects.bulk_create(terms, batch_size=5000)
        added += len(batch)
    return added


def remove_generated() -> int:
    deleted, _ = Programme.objects.filter(code__startswith=PREFIX).delete()
    return deleted
