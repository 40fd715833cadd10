from __future__ import annotations

import pytest

from yrkesbro.catalogue import analysis, quality, search
from yrkesbro.catalogue.models import Programme
from yrkesbro.catalogue.queries import MUST_NOT, QUERIES

# The level reached on the labelled set when it was grown to 95 queries (ours: hit@3
# 1.000, MRR 0.993; plain BM25: 0.347 / 0.349). A change may not lose more than one query.
HIT3_MIN = 0.985
MRR_MIN = 0.975


def test_analysis_stems_bokmal_and_nynorsk_alike():
    assert analysis.analyse("lindrande") == analysis.analyse("lindrende")
    assert analysis.analyse("sjukepleie") == analysis.analyse("sykepleie")
    assert analysis.analyse("heimetenesta") == analysis.analyse("hjemmetjenesten")
    assert analysis.analyse("og i på") == []


def test_levenshtein_limits():
    assert analysis.levenshtein_within("demens", "demnes", 2) == 2
    assert analysis.levenshtein_within("demens", "demens", 1) == 0
    assert analysis.levenshtein_within("kreft", "barnehage", 2) is None


def test_highlight_escapes_and_marks():
    html = search.highlight("<b>Demens</b> & omsorg", {analysis.stem("demens")})
    assert "<mark>Demens</mark>" in html
    assert "&lt;b&gt;" in html and "&amp;" in html


def _plans(ids: list[int]) -> list[str | None]:
    by_id = dict(Programme.objects.filter(id__in=ids).values_list("id", "national_plan__code"))
    return [by_id[i] for i in ids]


def test_query_set_is_big_enough():
    assert len(QUERIES) >= 90


def test_compounds_are_split_on_the_field_in_both_written_standards():
    assert analysis.compound_stems("demensomsorg") == ["demens", "omsorg"]
    assert analysis.compound_stems("rusbehandlinga")[0] == analysis.stem("rus")
    assert analysis.compound_stems("barnehagelærar") == analysis.compound_stems("barnehagelærer")
    assert analysis.compound_stems("kreftsjukepleie") == analysis.compound_stems("kreftsykepleie")
    assert analysis.compound_stems("russisk") == []  # a short field word needs a known rest
    assert "+demens" in analysis.analyse("Demensomsorg")


def test_stop_words_and_short_stems_never_meet_field_words():
    assert analysis.stem("demens") == "demens"  # Snowball alone gives "dem"
    assert analysis.analyse("dem og deres") == []
    assert analysis.stem("psykiatrisk") == analysis.stem("psykiatri")


def test_transposed_letters_are_one_typo():
    assert analysis.typo_distance_within("demnes", "demens", 1) == 1
    assert analysis.typo_distance_within("demens", "kreft", 2) is None


@pytest.mark.parametrize("query,plan", MUST_NOT)
def test_no_match_through_a_pronoun(catalogue_loaded, query, plan):
    hits = search.rank(query)
    assert hits and plan not in _plans([h.programme_id for h in hits[:3]])


def test_explain_names_the_matched_words(catalogue_loaded):
    hits = search.rank("rusbehandling")
    hits.explain(hits[:1])
    assert hits[0].matched and hits[0].terms
    assert set(hits[0].matched.values()) <= {"exact", "english", "synonym", "compound", "typo"}


def test_quality_beats_plain_bm25(catalogue_loaded):
    hit3, mrr, misses = quality.evaluate(quality.ours(), QUERIES)
    base_hit3, base_mrr, _ = quality.evaluate(quality.baseline(), QUERIES)
    print(f"ours hit@3={hit3:.3f} MRR={mrr:.3f}; bm25 hit@3={base_hit3:.3f} MRR={base_mrr:.3f}")
    assert hit3 >= HIT3_MIN and mrr >= MRR_MIN, misses
    assert hit3 > base_hit3 and mrr > base_mrr


def test_database_ranking_equals_in_memory_ranking(catalogue_loaded):
    """The SQL path (SQLite or PostgreSQL, whichever runs) ranks exactly as pure Python does."""
    docs = {
        p.pk: search.document_fields(p) for p in Programme.objects.select_related("national_plan")
    }
    memory = search.MemoryIndex(docs, impact_length=search.impact_length())
    for query, _wanted in QUERIES:
        db_hits = [(h.programme_id, h.score) for h in search.rank(query)]
        mem_hits = [(h.programme_id, h.score) for h in search.rank(query, index=memory)]
        assert db_hits == mem_hits, query


def test_the_index_answers_without_reading_the_vocabulary(catalogue_loaded):
    """A search reads only the postings of its own terms: a fixed, small number of queries,
    and no per-process vocabulary is built after a catalogue change."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        search.rank("demensomsorg i heimetenesta")
    assert len(ctx.captured_queries) <= 4
    assert not any("GROUP BY" in q["sql"] and " IN (" not in q["sql"] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        search.rank("rehabiliteirng")  # a typo: the vocabulary is looked up by range or trigram
    assert len(ctx.captured_queries) <= 8


GOLDEN = {
    "demens": "DEMENS",
    "palliative care": "KREFT",
    "rus": "PSYKRUS",
}


@pytest.mark.parametrize("query,plan", GOLDEN.items())
def test_top_hit_plan(catalogue_loaded, query, plan):
    hits = search.rank(query)
    assert _plans([h.programme_id for h in hits[:3]]) == [plan] * 3


ODD_QUERIES = [
    "",
    "   ",
    "x" * 2000,
    "y " * 1500,
    "'; DROP TABLE catalogue_programme; --",
    "<script>alert(1)</script>",
    "%_\\",
    "ø" * 61,
    "\x00",
]


def test_odd_queries_do_not_fail(catalogue_loaded):
    for query in ODD_QUERIES:
        search.rank(query)
    assert Programme.objects.count() == catalogue_loaded


def test_typo_candidates_come_from_an_index(catalogue_loaded):
    """PostgreSQL: pg_trgm (created by the migration as the database owner) and a trigram
    index on the vocabulary; SQLite: range look-ups. Both find a transposed word."""
    from django.db import connection

    assert "demens" in search.DatabaseIndex().near("demnes", 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone()
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                ["catalogue_searchvocabulary_term_trgm"],
            )
            assert "gin_trgm_ops" in cursor.fetchone()[0]
