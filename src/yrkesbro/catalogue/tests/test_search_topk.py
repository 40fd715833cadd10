"""Top-k retrieval: a page of a search is exactly the head of the full ranking.

The search reads each term's postings in impact order and stops early
(``search.top_k``); these tests hold it to the exhaustive ranking (every matching
programme scored in SQL, ``DatabaseIndex.scores``) and to the in-memory index.
"""

from __future__ import annotations

import pytest

from yrkesbro.catalogue import scale, search
from yrkesbro.catalogue.models import Programme, SearchPosting, SearchStatistics
from yrkesbro.catalogue.queries import QUERIES


def _exhaustive(ranking: search.Ranking) -> list[tuple[int, float]]:
    return search._ordered(ranking.source.scores(ranking.factors, ranking.candidates))


@pytest.fixture
def grown(catalogue_loaded):  # type: ignore[no-untyped-def]
    """The 75 reference programmes and 300 synthetic ones made from their texts: many
    programmes share most words, so rankings are flat and top-k must read deep."""
    scale.generate_programmes(catalogue_loaded + 300)
    return Programme.objects.count()


def test_every_page_is_the_head_of_the_full_ranking(grown):
    """Starting from 1, 4 or the usual 32 postings a term (many rounds or few)."""
    for first_round in (1, 4, search.FIRST_ROUND):
        rounds = 0
        for query, _wanted in QUERIES:
            ranking = search.rank(query)
            full = _exhaustive(ranking)
            for k in (1, 3, 20, 60):
                found = search.top_k(ranking.source, ranking.factors, None, k, first_round)
                if found is None:
                    continue
                rounds += 1
                hits, complete = found
                assert hits == full[:k], (query, k, first_round)
                assert complete == (len(full) <= k), (query, k, first_round)
        assert rounds > 0.9 * len(QUERIES) * 4  # nearly every query stops early


def test_a_filtered_search_is_exact_too(grown):
    every_third = list(Programme.objects.order_by("pk").values_list("pk", flat=True))[::3]
    candidates = Programme.objects.filter(pk__in=every_third)
    for query in ("demens", "psykisk helse og rus", "palliative care", "barn"):
        ranking = search.rank(query, candidates=candidates)
        full = _exhaustive(ranking)
        assert full, query
        assert [(h.programme_id, h.score) for h in ranking[:20]] == full[:20]
        assert set(ranking.all_ids()) <= set(every_third)
        assert len(ranking) == len(full)


def test_pages_read_in_any_order_agree(grown):
    full = _exhaustive(search.rank("eldreomsorg i heimetenesta"))
    ranking = search.rank("eldreomsorg i heimetenesta")
    page3 = [(h.programme_id, h.score) for h in ranking[40:60]]
    page1 = [(h.programme_id, h.score) for h in ranking[:20]]
    assert page1 == full[:20] and page3 == full[40:60]
    assert ranking.all_ids() == [pid for pid, _score in full]


def test_database_and_memory_pages_agree(grown):
    docs = {
        p.pk: search.document_fields(p) for p in Programme.objects.select_related("national_plan")
    }
    memory = search.MemoryIndex(docs, impact_length=search.impact_length())
    for query, _wanted in QUERIES[:40]:
        db = [(h.programme_id, h.score) for h in search.rank(query)[:20]]
        mem = [(h.programme_id, h.score) for h in search.rank(query, index=memory)[:20]]
        assert db == mem, query


def test_a_search_counts_and_ranks_at_most_max_hits(grown, monkeypatch):
    monkeypatch.setattr(search, "MAX_HITS", 25)
    ranking = search.rank("omsorg")
    full = _exhaustive(ranking)
    assert len(full) > 25
    assert len(ranking) == 25 and ranking.more
    assert [h.programme_id for h in ranking] == [pid for pid, _s in full[:25]]
    assert ranking.all_ids() == [pid for pid, _s in full]  # exports are not capped
    reference = Programme.objects.exclude(code__startswith=scale.PREFIX)
    narrow = search.rank("ikt", candidates=reference)
    full = _exhaustive(narrow)
    assert 0 < len(full) < 25
    assert len(narrow) == len(full) and not narrow.more
    assert [h.programme_id for h in narrow] == [pid for pid, _s in full]


def test_impacts_are_restamped_when_the_average_length_drifts(grown):
    stamp = search.impact_length()
    # Growing by 300 similar programmes moved the average less than the drift allowed.
    assert abs(search.average_length() / stamp - 1) <= search.IMPACT_DRIFT
    assert search.refresh_impacts() == 0  # nothing rewritten
    # Programmes several times as long move the average far from the stamp.
    long = list(Programme.objects.order_by("pk")[:150])
    for programme in long:
        programme.description = (programme.description + " ") * 6
        programme.save()
        search.index_programme(programme)
    assert abs(search.average_length() / stamp - 1) > search.IMPACT_DRIFT
    rewritten = search.refresh_impacts()
    assert rewritten == SearchPosting.objects.count()
    assert SearchStatistics.objects.get().impact_length == pytest.approx(search.average_length())
    assert search.refresh_impacts() == 0  # safe to run twice
    docs = {
        p.pk: search.document_fields(p) for p in Programme.objects.select_related("national_plan")
    }
    memory = search.MemoryIndex(docs)  # its own average: the new stamp
    for query in ("demens", "rehabilitering i kommunen", "palliative care"):
        db = [(h.programme_id, h.score) for h in search.rank(query)[:10]]
        mem = [(h.programme_id, h.score) for h in search.rank(query, index=memory)[:10]]
        assert db == mem, query


def test_page_and_api_say_when_more_match_than_are_ranked(grown, client, monkeypatch):
    from django.urls import reverse

    monkeypatch.setattr(search, "MAX_HITS", 30)
    page = client.get(reverse("catalogue:list"), {"q": "omsorg", "page": "2"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mer enn 30 utdanninger passer" in body
    assert 'start="26"' in body and body.count('class="ds-card yb-result"') == 5
    data = client.get("/api/v1/programmes", {"q": "omsorg", "limit": 10, "offset": 20}).json()
    assert data["count"] == 30 and data["more"] is True and len(data["items"]) == 10
    none = client.get("/api/v1/programmes", {"q": "zzqxw"}).json()
    assert none == {"count": 0, "more": False, "items": []}


def test_document_frequencies_follow_every_write(catalogue_loaded, schools):
    """A search reads each term's frequency from the vocabulary: every way a programme is
    written or removed keeps it equal to a recount of the postings."""
    from yrkesbro.catalogue import importer, services
    from yrkesbro.catalogue.tests.test_import import _csv, row

    assert search.recount_df() == 0
    a = schools.a
    p = services.programme_create(
        actor=a.editor,
        school=a.school,
        data={"title": "Palliasjon", "field": "health", "credits": 60, "code": "ALFA-PALL"},
    )
    assert search.recount_df() == 0
    services.programme_update(actor=a.editor, programme=p, data={"title": "Kvaslingfag"})
    assert search.recount_df() == 0
    assert [h.programme_id for h in search.rank("kvaslingfag")] == [p.pk]
    services.programme_delete(actor=a.editor, programme=p)
    assert search.recount_df() == 0
    assert not search.rank("kvaslingfag")
    parsed = importer.parse("programmes", _csv(row(), row(code="ALFA-Y")))
    report = importer.apply(parsed, actor=None)
    assert report.created == 2 and search.recount_df() == 0
    scale.generate_programmes(Programme.objects.count() + 20)
    assert search.recount_df() == 0
    scale.remove_generated()
    assert search.recount_df() == 0
    # A deletion that bypasses the services leaves frequencies too high until the
    # worker's daily sweep recounts them.
    Programme.objects.filter(code="ALFA-Y").delete()
    assert search.recount_df() > 0
    assert search.recount_df() == 0


def test_a_query_with_hundreds_of_terms_is_read_in_parts(catalogue_loaded):
    """A long query expands into many terms; SQLite takes at most 500 parts to one
    compound SELECT, so the best postings are asked for 200 terms at a time."""
    from yrkesbro.catalogue.models import SearchVocabulary

    terms = list(
        SearchVocabulary.objects.filter(df__gt=0).order_by("term").values_list("term", flat=True)
    )[:520]
    assert len(terms) == 520  # more than SQLite's 500
    best = search.DatabaseIndex().best(dict.fromkeys(terms, 2), None)
    assert set(best) == set(terms)
    assert all(1 <= len(rows) <= 2 for rows in best.values())
