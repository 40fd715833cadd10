"""Norwegian programme search: an inverted index in plain tables, ranked by BM25.

Indexing (``index_programme``) analyses a programme's title, its national
plan's titles, description, learning outcomes and the names and synonyms of
the competence areas its plan covers into ``SearchPosting`` rows, one per
(programme, term) with the field-weighted frequency and its impact (BM25's
term-frequency part); compounds are split at index time (``demensomsorg`` also
gives ``+demens`` and ``+omsorg``), and every new term goes into
``SearchVocabulary``.

Searching (``rank``) expands every query word into weighted terms (its stem,
synonyms, English words and abbreviations, compound parts, typo corrections),
then asks the index, each time through an index and never by reading the whole
vocabulary or every posting:

* the document frequency of just those terms, kept in the vocabulary as postings
  are written and removed (nothing is counted per search);
* for a word no document contains, the vocabulary terms near it (PostgreSQL: a
  ``pg_trgm`` trigram index; SQLite: range look-ups on the first letters and on
  the reversed last letters), checked with an edit distance in Python;
* the best programmes, top-k (``top_k``): each term's postings are read in impact
  order, a few at a time, the programmes found are scored exactly, and reading
  stops as soon as no programme not yet seen could reach the page. The cost
  follows the page asked for, not the number of programmes a broad word matches;
* how many programmes match, counted up to ``MAX_HITS`` (a search shows at most
  that many; ``Ranking.more`` says there were more).

The score is BM25 with field weights (the best expansion of each query word
counts). ``MemoryIndex`` computes the same figures in Python and the exhaustive
SQL (``DatabaseIndex.scores``, used for exports) in the database; tests compare
all three. Ties are broken by programme id. Which terms matched ("why it
matched", highlighting) is worked out only for the page being shown
(``Ranking.explain``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, overload

from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from yrkesbro.catalogue import analysis
from yrkesbro.catalogue.models import (
    Programme,
    SearchPosting,
    SearchStatistics,
    SearchVocabulary,
)

# Fields of the search document and how much a match in each counts.
TITLE, PLAN, DESCRIPTION, OUTCOMES, AREAS = range(5)
FIELD_BOOST = {TITLE: 3.0, PLAN: 2.0, DESCRIPTION: 1.0, OUTCOMES: 0.8, AREAS: 1.5}
BOOST_TENTHS = {key: round(value * 10) for key, value in FIELD_BOOST.items()}
K1 = 1.2
B = 0.75
MAX_QUERY_CHARS = 2000
MAX_QUERY_WORDS = 24
MAX_TYPO_CANDIDATES = 200
# PostgreSQL trigram similarity a typo candidate needs ("demnes" ~ "demens" is 0.27).
TRIGRAM_THRESHOLD = 0.2
# A search ranks and counts at most this many programmes (50 pages of 20).
MAX_HITS = 1000
# Top-k reads each term's best postings in rounds of this many, growing fourfold, and
# scores every programme the database has seen in one pass beyond these limits.
FIRST_ROUND = 32
DEEPEN = 4  # how much deeper the next round reads a term that holds the bound up
DEEPEN_SHARE = 0.8  # ... a term does when it brings 80 % of its query word's bound
MAX_ROUND = 4096
MAX_CANDIDATES = 8000
# Impacts are recomputed when the catalogue's average length has moved this far.
IMPACT_DRIFT = 0.2

# Weight of a term reached another way than the query word's own stem.
W_EXACT, W_ENGLISH, W_SYNONYM, W_COMPOUND, W_TYPO1, W_TYPO2 = 1.0, 0.9, 0.7, 0.5, 0.8, 0.6
W_HEAD = 0.8  # the first part of a compound query word
W_GENERIC = 0.4  # a word for the kind of work ("sykepleie", "behandling") among others


def plan_areas_text(plan: Any) -> str:
    """The names and synonyms of the competence areas a national plan covers."""
    areas = plan.competence_areas.filter(is_active=True)
    return " ".join(
        f"{a.name_nb} {a.name_nn} {a.name_en} {a.synonyms.replace(',', ' ')}" for a in areas
    )


def document_fields(
    programme: Programme, areas_text: dict[int, str] | None = None
) -> dict[int, str]:
    """The texts of a programme's search document, by field (``areas_text``: plan id → text)."""
    plan = programme.national_plan
    texts = {
        TITLE: programme.title,
        PLAN: "",
        DESCRIPTION: programme.description,
        OUTCOMES: " ".join(
            [
                programme.outcomes_knowledge,
                programme.outcomes_skills,
                programme.outcomes_general_competence,
            ]
        ),
        AREAS: "",
    }
    if plan is not None:
        texts[PLAN] = f"{plan.title_nb} {plan.title_en}"
        if areas_text is not None and plan.pk in areas_text:
            texts[AREAS] = areas_text[plan.pk]
        else:
            texts[AREAS] = plan_areas_text(plan)
    return texts


# Every indexed programme holds this (unsearchable) term with weight 0, so that its
# document frequency is the number of programmes a search's idf needs.
DOC_TERM = "#document"


def document_terms(texts: dict[int, str]) -> tuple[dict[str, int], int]:
    """(term → field-weighted frequency in tenths, document length in terms)."""
    tenths: dict[str, int] = defaultdict(int)
    tenths[DOC_TERM] = 0
    length = 0
    for field_no, text in texts.items():
        boost = BOOST_TENTHS.get(field_no, 10)
        for term in analysis.analyse(text):
            tenths[term] += boost
            if not term.startswith(analysis.PART):
                length += 1
    return {term: min(value, MAX_TENTHS) for term, value in tenths.items()}, length


MAX_TENTHS = 2**31 - 1


def posting_rows(
    programme_id: int, tenths: dict[str, int], length: int, impact_length: float
) -> list[tuple[int, str, int, float]]:
    """The ``SearchPosting`` rows of one document: (programme, term, tenths, impact)."""
    return [
        (programme_id, term, value, saturation(value, length, impact_length))
        for term, value in tenths.items()
    ]


def add_vocabulary(terms: Iterable[str], counts: dict[str, int] | None = None) -> None:
    """Record index terms in ``SearchVocabulary`` and add ``counts`` (term → programmes
    gained, or lost when negative) to their document frequencies."""
    new = sorted(set(terms))
    for start in range(0, len(new), 5000):
        SearchVocabulary.objects.bulk_create(
            [SearchVocabulary(term=t, reversed_term=t[::-1]) for t in new[start : start + 5000]],
            ignore_conflicts=True,
        )
    # In term order, so that two writers never wait for each other in a cycle.
    changes: list[tuple[int, str]] = [
        (delta, term) for term, delta in sorted((counts or {}).items()) if delta
    ]
    if changes:
        table = connection.ops.quote_name(SearchVocabulary._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET df = df + %s WHERE term = %s",  # noqa: S608 - table name from the model
                changes,
            )


def add_postings(documents: Iterable[tuple[int, dict[str, int], int]]) -> None:
    """Write the postings of programmes that have none yet, from (programme id, term →
    tenths, length), and count their terms into the vocabulary's frequencies.

    A programme has a few hundred postings, so 50,000 programmes make millions: they
    go in through COPY (PostgreSQL) or one prepared INSERT with ``executemany``
    (SQLite), in chunks, many times faster than building model instances.
    """
    table = connection.ops.quote_name(SearchPosting._meta.db_table)
    scale = impact_length()
    gained: Counter[str] = Counter()  # programmes per term
    rows: list[tuple[int, str, int, float]] = []
    with connection.cursor() as cursor:
        for programme_id, tenths, length in documents:
            rows.extend(posting_rows(programme_id, tenths, length, scale))
            gained.update(tenths.keys())
            if len(rows) >= 50_000:
                _insert_postings(cursor, table, rows)
                rows = []
        if rows:
            _insert_postings(cursor, table, rows)
    add_vocabulary(gained, gained)


def _insert_postings(cursor: Any, table: str, rows: list[tuple[int, str, int, float]]) -> None:
    columns = "(programme_id, term, tenths, impact)"
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(
            f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s)",  # noqa: S608 - table name from the model
            rows,
        )


def recount_df() -> int:
    """Recount every term's document frequency from the postings; returns how many were
    wrong (none, unless programmes were deleted other than through the services)."""
    vocabulary = connection.ops.quote_name(SearchVocabulary._meta.db_table)
    postings = connection.ops.quote_name(SearchPosting._meta.db_table)
    count = f"SELECT COUNT(*) FROM {postings} sp WHERE sp.term = {vocabulary}.term"  # noqa: S608 - table names from the models
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {vocabulary} SET df = ({count}) WHERE df <> ({count})")  # noqa: S608 - table names from the models
        return cursor.rowcount


def index_programme(programme: Programme) -> None:
    """(Re)build one programme's rows in the index. Called by every service that saves one."""
    tenths, length = document_terms(document_fields(programme))
    with transaction.atomic():
        # Locked so that a restamp (``refresh_impacts``) cannot interleave.
        scale = impact_length(lock=True)
        before = set(
            SearchPosting.objects.filter(programme=programme).values_list("term", flat=True)
        )
        SearchPosting.objects.filter(programme=programme).delete()
        SearchPosting.objects.bulk_create(
            SearchPosting(programme=programme, term=term, tenths=value, impact=impact)
            for _pid, term, value, impact in posting_rows(programme.pk, tenths, length, scale)
        )
        gained = dict.fromkeys(tenths.keys() - before, 1)
        lost = dict.fromkeys(before - tenths.keys(), -1)
        add_vocabulary(tenths, gained | lost)
        Programme.objects.filter(pk=programme.pk).update(search_length=length)
    programme.search_length = length


def unindex_programme(programme: Programme) -> None:
    """Take a programme out of the document frequencies before it is deleted (its
    postings go with it)."""
    with transaction.atomic():
        terms = SearchPosting.objects.filter(programme=programme).values_list("term", flat=True)
        add_vocabulary([], dict.fromkeys(terms, -1))
        SearchPosting.objects.filter(programme=programme).delete()


def reindex(programmes: Iterable[Programme] | None = None) -> int:
    qs = programmes if programmes is not None else Programme.objects.select_related("national_plan")
    n = 0
    for programme in qs:
        index_programme(programme)
        n += 1
    if programmes is None:
        SearchVocabulary.objects.get_or_create(term=ANALYSIS_MARK, reversed_term=ANALYSIS_MARK)
        refresh_impacts(force=True)
    return n


DEFAULT_IMPACT_LENGTH = 300.0  # before the first programme: about a reference programme's


def average_length() -> float | None:
    """The average length of the indexed programmes (None before the first)."""
    row = Programme.objects.filter(search_length__gt=0).aggregate(
        n=Count("search_length"), total=Sum("search_length")
    )
    return row["total"] / row["n"] if row["n"] else None


def impact_length(*, lock: bool = False) -> float:
    """The average length the stored impacts use: BM25's average document length.

    Stamped on first use and restamped by ``refresh_impacts`` when the catalogue's
    own average has drifted from it, so that a score is a plain sum of stored
    impacts and a search never reads the programmes' lengths.
    """
    qs = SearchStatistics.objects.filter(pk=1)
    if lock:
        qs = qs.select_for_update()
    stamp = qs.values_list("impact_length", flat=True).first()
    if stamp:
        return float(stamp)
    row, _ = SearchStatistics.objects.get_or_create(
        pk=1, defaults={"impact_length": average_length() or DEFAULT_IMPACT_LENGTH}
    )
    return row.impact_length


def refresh_impacts(*, force: bool = False) -> int:
    """Restamp the average length and recompute every impact if the catalogue's average
    has drifted more than ``IMPACT_DRIFT`` from the stamp (or ``force``); returns the
    number of postings rewritten. Safe to run twice: the second run finds no drift."""
    with transaction.atomic():
        stamp = impact_length(lock=True)
        avg = average_length()
        if avg is None or (not force and abs(avg / stamp - 1) <= IMPACT_DRIFT):
            return 0
        SearchStatistics.objects.filter(pk=1).update(impact_length=avg)
        qn = connection.ops.quote_name
        table, programmes = (
            qn(SearchPosting._meta.db_table),
            qn(Programme._meta.db_table),
        )
        real = "DOUBLE PRECISION"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {table} SET impact = (CAST(tenths AS {real}) / 10) * %s
                    / ((CAST(tenths AS {real}) / 10) + %s * (1 - %s + %s * (
                        SELECT CAST(p.search_length AS {real}) FROM {programmes} p
                        WHERE p.id = {table}.programme_id
                    ) / %s))""",  # noqa: S608 - table names from the models
                [K1 + 1, K1, B, B, avg],
            )
            return cursor.rowcount


# Bumped when the analysis changes what an indexed text yields; a vocabulary row with
# this (unsearchable) term says the index was built by this analysis.
ANALYSIS_MARK = "#analysis-2"


def reindex_if_outdated() -> int:
    """Rebuild the whole index once after an analysis change, and restamp the impacts
    if the catalogue's average length has drifted (the daily sweep; safe to run twice)."""
    if SearchVocabulary.objects.filter(term=ANALYSIS_MARK).exists():
        recount_df()
        refresh_impacts()
        return 0
    return reindex()


# --- scoring ---------------------------------------------------------------------------

# (query word number, index term, weight x capped idf) for every expansion of the query.
Factors = list[tuple[int, str, float]]


def saturation(tenths: int, length: float, avg_length: float) -> float:
    """BM25's term-frequency part, for a field-weighted frequency in tenths."""
    weight_tf = tenths / 10
    return weight_tf * (K1 + 1) / (weight_tf + K1 * (1 - B + B * (length / avg_length)))


def score_postings(
    postings: Iterable[tuple[int, str, float]], factors: Factors
) -> dict[int, tuple[float, dict[int, tuple[float, str]], set[str]]]:
    """Programme → (score, query word number → (value, best term), terms found), in Python.

    ``postings`` are (programme, term, impact); a query word counts with its best
    term, factor times impact. The same arithmetic as ``DatabaseIndex.scores`` in SQL.
    """
    by_term: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, term, factor in factors:
        by_term[term].append((number, factor))
    out: dict[int, tuple[float, dict[int, tuple[float, str]], set[str]]] = {}
    for pid, term, impact in sorted(postings):
        _score, best, found = out.setdefault(pid, (0.0, {}, set()))
        found.add(term)
        for number, factor in by_term[term]:
            value = factor * impact
            current = best.get(number)
            # Ties between expansions go to the alphabetically first term (stable output).
            if current is None or value > current[0] or (value == current[0] and term < current[1]):
                best[number] = (value, term)
    return {
        pid: (sum(best[n][0] for n in sorted(best)), best, found)
        for pid, (_s, best, found) in out.items()
    }


def _ordered(scored: Iterable[tuple[int, float]]) -> list[tuple[int, float]]:
    """(programme, score rounded to 6 decimals), best first, ties by programme id."""
    return sorted(
        ((pid, round(score, 6)) for pid, score in scored if score > 0),
        key=lambda hit: (-hit[1], hit[0]),
    )


# Scores are compared rounded to 6 decimals: a margin keeps an unseen tie out.
MARGIN = 2e-6


def top_k(
    index: Index,
    factors: Factors,
    candidates: QuerySet | None,
    k: int,
    first_round: int = FIRST_ROUND,
) -> tuple[list[tuple[int, float]], bool] | None:
    """The ``k`` best (programme, score), best first and exact, and whether that is every
    match; ``None`` when the query is too broad to stop early (score them all instead).

    Each round reads the best postings of every term, in impact order. A programme
    not read for a term has there an impact no higher than the last one read (zero
    once the term is read to its end), so every programme gets a lower bound (what
    was read) and an upper bound (what could still come), and one never read is
    bounded by the last impacts read alone. Once that bound is below the ``k``-th
    best lower bound, only the programmes whose upper bound reaches it can be on
    the page: they alone are scored exactly. Otherwise the terms that hold the bound
    up are read deeper.
    """
    slots: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for number, term, factor in factors:
        slots[number].append((term, factor))
    terms = sorted({term for _n, term, _f in factors})
    depth = dict.fromkeys(terms, max(first_round, k))
    while max(depth.values()) <= MAX_ROUND:
        best = index.best(depth, candidates)
        last = {t: rows[-1][1] if len(rows) >= depth[t] else 0.0 for t, rows in best.items()}
        # Per query word, the best value read for each programme, and which terms were read.
        got: dict[int, dict[int, float]] = {number: {} for number in slots}
        read: dict[int, set[str]] = defaultdict(set)
        for number, pairs in slots.items():
            values = got[number]
            for term, factor in pairs:
                for pid, impact in best[term]:
                    value = factor * impact
                    if value > values.get(pid, 0.0):
                        values[pid] = value
        for term, rows in best.items():
            for pid, _impact in rows:
                read[pid].add(term)
        if len(read) > MAX_CANDIDATES:
            return None
        lower = {pid: sum(got[n].get(pid, 0.0) for n in slots) for pid in read}
        ceiling = {n: max(f * last[t] for t, f in pairs) for n, pairs in slots.items()}
        unseen = sum(ceiling.values())
        if unseen == 0:  # every term read to its end: every match is known exactly
            hits = _ordered(lower.items())
            return hits[:k], len(hits) <= k
        floor = sorted(lower.values(), reverse=True)[k - 1] if len(lower) >= k else 0.0
        if floor > 0 and unseen < floor - MARGIN:
            scores = {}
            todo = []
            for pid, low in lower.items():
                if low + unseen < floor - MARGIN:
                    continue  # cannot reach the page even if every unread term were there
                high = 0.0
                for number, pairs in slots.items():
                    rest = max((f * last[t] for t, f in pairs if t not in read[pid]), default=0.0)
                    high += max(got[number].get(pid, 0.0), rest)
                if high < floor - MARGIN:
                    continue
                scores[pid] = low
                if high > low:
                    todo.append(pid)
            if todo:
                postings = index.postings(set(terms), todo)
                scores.update(
                    (pid, score)
                    for pid, (score, _b, _f) in score_postings(postings, factors).items()
                )
            return _ordered(scores.items())[:k], False
        # Read deeper the terms that hold a query word's bound up.
        for number, pairs in slots.items():
            for term, factor in pairs:
                if last[term] and factor * last[term] >= DEEPEN_SHARE * ceiling[number]:
                    depth[term] *= DEEPEN
    return None


class Index(Protocol):
    def documents(self) -> int: ...

    def df(self, terms: set[str]) -> dict[str, int]: ...

    def near(self, word: str, limit: int) -> list[str]: ...

    def scores(self, factors: Factors, candidates: QuerySet | None) -> list[tuple[int, float]]: ...

    def best(
        self, depth: dict[str, int], candidates: QuerySet | None
    ) -> dict[str, list[tuple[int, float]]]: ...

    def count(self, terms: list[str], candidates: QuerySet | None, limit: int) -> int: ...

    def postings(
        self, terms: set[str], programme_ids: list[int]
    ) -> list[tuple[int, str, float]]: ...


class DatabaseIndex:
    """The ``SearchPosting`` and ``SearchVocabulary`` tables; nothing is cached per process."""

    def documents(self) -> int:
        """How many programmes are indexed: one row of the vocabulary, never a count."""
        return self.df({DOC_TERM}).get(DOC_TERM, 0)

    def df(self, terms: set[str]) -> dict[str, int]:
        if not terms:
            return {}
        # Kept in the vocabulary as postings change: nothing is counted per search.
        return dict(
            SearchVocabulary.objects.filter(term__in=sorted(terms), df__gt=0).values_list(
                "term", "df"
            )
        )

    def near(self, word: str, limit: int) -> list[str]:
        """Vocabulary terms that may lie within ``limit`` edits of ``word`` (a superset)."""
        low, high = len(word) - limit, len(word) + limit
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(SearchVocabulary._meta.db_table)
                cursor.execute(f"SET pg_trgm.similarity_threshold = {TRIGRAM_THRESHOLD}")
                cursor.execute(
                    f"SELECT term FROM {table} WHERE term %% %s"  # noqa: S608 - table from the model
                    " AND length(term) BETWEEN %s AND %s AND df > 0"
                    " AND left(term, 1) NOT IN (%s, %s)"
                    " ORDER BY similarity(term, %s) DESC, term LIMIT %s",
                    [word, low, high, analysis.PART, DOC_TERM[0], word, MAX_TYPO_CANDIDATES],
                )
                return [row[0] for row in cursor.fetchall()]
        # A typo of up to two edits leaves either the first two or the last three
        # letters alone (in all but very short words); both are range look-ups.
        # Compound parts ("+part"), the document term and terms no programme holds any
        # more are left out.
        head, tail = word[:2], word[-3:][::-1]
        words = (
            SearchVocabulary.objects.filter(df__gt=0)
            .exclude(term__startswith=analysis.PART)
            .exclude(term__startswith=DOC_TERM[0])
        )
        found = words.filter(term__gte=head, term__lt=head + "\U0010ffff").values_list(
            "term", flat=True
        )[:MAX_TYPO_CANDIDATES]
        found_tail = words.filter(
            reversed_term__gte=tail, reversed_term__lt=tail + "\U0010ffff"
        ).values_list("term", flat=True)[:MAX_TYPO_CANDIDATES]
        return sorted({t for t in [*found, *found_tail] if low <= len(t) <= high})

    def scores(self, factors: Factors, candidates: QuerySet | None) -> list[tuple[int, float]]:
        """Every matching programme's score, summed in SQL (exports; over-broad queries)."""
        if not factors:
            return []
        table = connection.ops.quote_name(SearchPosting._meta.db_table)
        real = "DOUBLE PRECISION"
        values = ", ".join(
            [f"(CAST(%s AS INTEGER), CAST(%s AS VARCHAR(61)), CAST(%s AS {real}))"] * len(factors)
        )
        params: list[Any] = [x for row in factors for x in row]
        terms = sorted({term for _n, term, _f in factors})
        within, within_params = self._within(candidates)
        params.extend([*terms, *within_params])
        sql = f"""
            WITH q (slot, term, factor) AS (VALUES {values}),
            best AS (
                SELECT sp.programme_id AS pid, q.slot AS slot, MAX(q.factor * sp.impact) AS value
                FROM {table} sp JOIN q ON q.term = sp.term
                WHERE sp.term IN ({", ".join(["%s"] * len(terms))}){within}
                GROUP BY sp.programme_id, q.slot
            )
            SELECT pid, SUM(value) FROM best GROUP BY pid
        """  # noqa: S608 - table names from the models, values as parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(pid, float(score)) for pid, score in cursor.fetchall()]

    def _within(self, candidates: QuerySet | None) -> tuple[str, list[Any]]:
        if candidates is None:
            return "", []
        sub_sql, sub_params = candidates.values("id").query.sql_with_params()
        return f" AND sp.programme_id IN ({sub_sql})", list(sub_params)

    def best(
        self, depth: dict[str, int], candidates: QuerySet | None
    ) -> dict[str, list[tuple[int, float]]]:
        """The best postings (programme, impact) of each term, as many as ``depth`` says,
        in one statement that walks the (term, impact) index and stops there per term."""
        out: dict[str, list[tuple[int, float]]] = {term: [] for term in depth}
        if not depth:
            return out
        table = connection.ops.quote_name(SearchPosting._meta.db_table)
        within, within_params = self._within(candidates)
        wanted = sorted(depth.items())
        # SQLite allows 500 parts to a compound SELECT; a long query may have more terms.
        for start in range(0, len(wanted), 200):
            parts, params = [], []
            for number, (term, m) in enumerate(wanted[start : start + 200]):
                parts.append(
                    f"SELECT * FROM (SELECT sp.term, sp.programme_id, sp.impact FROM {table} sp"  # noqa: S608 - table name from the model
                    f" WHERE sp.term = %s{within} ORDER BY sp.impact DESC, sp.programme_id"
                    f" LIMIT %s) b{number}"
                )
                params.extend([term, *within_params, m])
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(parts), params)
                for term, pid, impact in cursor.fetchall():
                    out[term].append((pid, impact))
        for found in out.values():
            found.sort(key=lambda row: (-row[1], row[0]))
        return out

    def count(self, terms: list[str], candidates: QuerySet | None, limit: int) -> int:
        """How many programmes contain any of ``terms``, up to ``limit``.

        Reads the terms' postings through the term index: ``Ranking`` asks only when
        no term alone reaches the limit, so without a filter that is fewer than
        ``limit`` postings per term, however large the catalogue. (A "DISTINCT …
        LIMIT" would let PostgreSQL walk every posting in programme order instead.)
        """
        if not terms:
            return 0
        table = connection.ops.quote_name(SearchPosting._meta.db_table)
        within, within_params = self._within(candidates)
        marks = ", ".join(["%s"] * len(terms))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(DISTINCT sp.programme_id) FROM {table} sp"  # noqa: S608 - table name from the model
                f" WHERE sp.term IN ({marks}){within}",
                [*terms, *within_params],
            )
            return min(int(cursor.fetchone()[0]), limit)

    def postings(self, terms: set[str], programme_ids: list[int]) -> list[tuple[int, str, float]]:
        """(programme, term, impact) of these programmes for these terms."""
        if not programme_ids or not terms:
            return []
        table = connection.ops.quote_name(SearchPosting._meta.db_table)
        ids, words = sorted(programme_ids), sorted(terms)
        # A few programmes' postings, through the (programme, term) index. Without
        # planner statistics (a fresh load) both databases would rather walk every
        # posting of the terms: PostgreSQL looks up each programme in turn (a lateral
        # subquery that OFFSET 0 keeps from being merged into a join), SQLite is told.
        if connection.vendor == "postgresql":
            sql = (
                "SELECT ids.id, sp.term, sp.impact FROM unnest(%s::bigint[]) AS ids(id)"  # noqa: S608 - table name from the model
                f" CROSS JOIN LATERAL (SELECT term, impact FROM {table}"
                " WHERE programme_id = ids.id AND term = ANY(%s) OFFSET 0) sp"
            )
            params: list[Any] = [ids, words]
        else:
            sql = (
                f"SELECT programme_id, term, impact FROM {table} INDEXED BY search_posting_programme"  # noqa: S608 - table name from the model
                f" WHERE programme_id IN ({', '.join(['%s'] * len(ids))})"
                f" AND term IN ({', '.join(['%s'] * len(words))})"
            )
            params = [*ids, *words]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [tuple(row) for row in cursor.fetchall()]


class MemoryIndex:
    """The same index built in memory from documents: for tests and the benchmark baseline.

    Impacts use ``impact_length`` (the documents' own average length unless given).
    """

    def __init__(self, documents: dict[int, dict[int, str]], impact_length: float | None = None):
        self.lengths: dict[int, int] = {}
        counted: dict[int, dict[str, int]] = {}
        for pid, texts in documents.items():
            counted[pid], self.lengths[pid] = document_terms(texts)
        lengths = sum(self.lengths.values())
        self._impact_length = impact_length or (lengths / len(self.lengths) if lengths else 1.0)
        self.rows: dict[str, list[tuple[int, str, float]]] = defaultdict(list)
        for pid, tenths in counted.items():
            for _pid, term, _tenths, impact in posting_rows(
                pid, tenths, self.lengths[pid], self._impact_length
            ):
                self.rows[term].append((pid, term, impact))
        self._df = {term: len(rows) for term, rows in self.rows.items()}

    def documents(self) -> int:
        return len(self.lengths)

    def df(self, terms: set[str]) -> dict[str, int]:
        return {t: self._df[t] for t in terms if t in self._df}

    def near(self, word: str, limit: int) -> list[str]:
        return sorted(t for t in self._df if t[0] not in (analysis.PART, DOC_TERM[0]))

    def _rows(
        self, terms: Iterable[str], candidates: QuerySet | None
    ) -> list[tuple[int, str, float]]:
        allowed = set(candidates.values_list("id", flat=True)) if candidates is not None else None
        return [
            row
            for term in sorted(set(terms))
            for row in self.rows.get(term, [])
            if allowed is None or row[0] in allowed
        ]

    def scores(self, factors: Factors, candidates: QuerySet | None) -> list[tuple[int, float]]:
        rows = self._rows((term for _n, term, _f in factors), candidates)
        return [(pid, score) for pid, (score, _b, _f) in score_postings(rows, factors).items()]

    def best(
        self, depth: dict[str, int], candidates: QuerySet | None
    ) -> dict[str, list[tuple[int, float]]]:
        out = {}
        for term, m in depth.items():
            rows = [(pid, impact) for pid, _t, impact in self._rows([term], candidates)]
            out[term] = sorted(rows, key=lambda row: (-row[1], row[0]))[:m]
        return out

    def count(self, terms: list[str], candidates: QuerySet | None, limit: int) -> int:
        return min(len({row[0] for row in self._rows(terms, candidates)}), limit)

    def postings(self, terms: set[str], programme_ids: list[int]) -> list[tuple[int, str, float]]:
        wanted = set(programme_ids)
        return [row for row in self._rows(terms, None) if row[0] in wanted]


# --- queries ---------------------------------------------------------------------------


@dataclass
class Expansion:
    term: str
    weight: float
    how: str  # "exact", "english", "synonym", "compound", "typo"


@dataclass
class Slot:
    """One word of the query and the terms it may match."""

    word: str
    expansions: dict[str, Expansion] = field(default_factory=dict)
    # The terms that stand for the word itself (its stem, translation, correction or the
    # first part of it as a compound): no other expansion may count for more than they do.
    own: set[str] = field(default_factory=set)
    generic: bool = False

    def add(self, term: str, weight: float, how: str) -> None:
        current = self.expansions.get(term)
        if current is None or current.weight < weight:
            self.expansions[term] = Expansion(term, weight, how)


@dataclass
class Hit:
    programme_id: int
    score: float | None
    matched: dict[str, str]  # term → how it was reached (the best per query word)
    terms: set[str] = field(default_factory=set)  # every index term of the query it contains


def clean_query(query: str) -> str:
    return (query or "")[:MAX_QUERY_CHARS].strip()


def query_words(query: str) -> list[str]:
    words: list[str] = []
    for word in analysis.tokens(clean_query(query)):
        if word not in analysis.STOPWORDS and word not in words and len(word) <= 60:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def _with_compounds(slot: Slot, term: str, weight: float, how: str) -> None:
    """Add ``term`` and the same term as part of a compound in an indexed word."""
    slot.add(term, weight, how)
    slot.add(analysis.PART + term, weight * W_COMPOUND, "compound")


def parse_query(query: str, index: Index) -> tuple[list[Slot], dict[str, int]]:
    """Query text → slots of weighted index terms, and the document frequency of each term."""
    synonyms = analysis.synonym_index()
    slots = []
    for word in query_words(query):
        slot = Slot(word)
        base = analysis.stem(word)
        slot.generic = base in analysis.generic_stems()
        _with_compounds(slot, base, W_EXACT, "exact")
        slot.own.add(base)
        extra = analysis.ENGLISH_TERMS.get(word) or analysis.ABBREVIATIONS.get(word)
        if extra:
            for nb in extra.split():
                _with_compounds(slot, analysis.stem(nb), W_ENGLISH, "english")
                slot.own.add(analysis.stem(nb))
        # A compound query word also looks for its parts: the first names the field
        # ("rus|behandling", "demens|team"), so it counts for more than the rest.
        for number, part in enumerate(analysis.compound_stems(word)):
            _with_compounds(slot, part, W_HEAD if number == 0 else W_COMPOUND, "compound")
            if number == 0:
                slot.own.add(part)
        for term, exp in list(slot.expansions.items()):
            if term.startswith(analysis.PART):
                continue
            for syn in synonyms.get(term, ()):
                _with_compounds(slot, syn, W_SYNONYM * exp.weight, "synonym")
        slots.append(slot)
    df = index.df({t for slot in slots for t in slot.expansions})
    for slot in slots:
        if any(t in df for t in slot.expansions):
            continue
        # The stem and the word as typed (normalised): "demnes" stems to "demn".
        forms = dict.fromkeys([analysis.stem(slot.word), analysis.nynorsk_to_bokmal(slot.word)])
        nearest: dict[str, int] = {}
        for form in forms:
            limit = analysis.typo_limit(form)
            if not limit:
                continue
            for term in index.near(form, limit):
                distance = analysis.typo_distance_within(form, term, limit)
                if distance is not None and distance < nearest.get(term, limit + 1):
                    nearest[term] = distance
        best = sorted((distance, term) for term, distance in nearest.items())
        added: set[str] = set()
        for distance, term in best[:3]:
            _with_compounds(slot, term, W_TYPO1 if distance == 1 else W_TYPO2, "typo")
            slot.own.add(term)
            added.update([term, analysis.PART + term])
            for syn in synonyms.get(term, ()):
                _with_compounds(slot, syn, W_SYNONYM * W_TYPO2, "synonym")
                added.update([syn, analysis.PART + syn])
        df.update(index.df(added - df.keys()))
    return slots, df


class Ranking(Sequence[Hit]):
    """The hits of a query, best first, computed as far as they are read.

    Slicing (``ranking[:20]``) ranks just that far (``top_k``); ``len`` counts the
    matches up to ``MAX_HITS`` without ranking them; iterating ranks them all (up to
    ``MAX_HITS``). ``explain`` fills in which terms matched, for the hits being shown;
    ``all_ids`` is every match in order, uncapped (exports).
    """

    def __init__(
        self,
        index: Index,
        factors: Factors,
        how: dict[tuple[int, str], str],
        candidates: QuerySet | None = None,
        df: dict[str, int] | None = None,
    ):
        self.source, self.factors, self.how = index, factors, how
        self.df = df or {}
        self.candidates = candidates
        self.terms = sorted({term for _n, term, _f in factors})
        self._hits: list[Hit] = []
        self._complete = not factors
        self._count: int | None = None

    def _ranked(self, k: int) -> list[Hit]:
        """The first ``k`` hits (``k`` at most ``MAX_HITS``)."""
        k = min(k, MAX_HITS)
        if self._complete or len(self._hits) >= k:
            return self._hits
        found = top_k(self.source, self.factors, self.candidates, k)
        if found is None:
            ordered = _ordered(self.source.scores(self.factors, self.candidates))
            found = (ordered[:MAX_HITS], len(ordered) <= MAX_HITS)
        pairs, complete = found
        known = {hit.programme_id: hit for hit in self._hits}
        self._hits = [known.get(pid) or Hit(pid, score, {}) for pid, score in pairs]
        self._complete = complete
        if complete:
            self._count = len(self._hits)
        return self._hits

    def _at_least(self) -> int:
        """Matches known without counting: the commonest term's frequency (no filter)."""
        if self.candidates is not None:
            return 0
        return max((self.df.get(term, 0) for term in self.terms), default=0)

    def __len__(self) -> int:
        if self._count is None:
            if self._at_least() >= MAX_HITS:
                self._count = MAX_HITS
            else:
                self._count = self.source.count(self.terms, self.candidates, MAX_HITS)
        return self._count

    def __bool__(self) -> bool:
        return bool(self._ranked(1))

    @property
    def more(self) -> bool:
        """Whether more than ``MAX_HITS`` programmes match (only the first are ranked)."""
        if len(self) < MAX_HITS:
            return False
        return self._at_least() > MAX_HITS or (
            self.source.count(self.terms, self.candidates, MAX_HITS + 1) > MAX_HITS
        )

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...

    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            wanted = MAX_HITS if stop is None or stop < 0 or start < 0 else stop
            return self._ranked(wanted)[index]
        return self._ranked(MAX_HITS if index < 0 else index + 1)[index]

    def __iter__(self) -> Iterator[Hit]:
        return iter(self._ranked(MAX_HITS))

    def all_ids(self) -> list[int]:
        """Every matching programme, best first, however many (exports)."""
        if self._complete:
            return [hit.programme_id for hit in self._hits]
        return [pid for pid, _score in _ordered(self.source.scores(self.factors, self.candidates))]

    def explain(self, hits: list[Hit]) -> None:
        todo = [h for h in hits if h.score is not None and not h.matched]
        if not todo:
            return
        postings = self.source.postings(set(self.terms), [h.programme_id for h in todo])
        scored = score_postings(postings, self.factors)
        for hit in todo:
            _score, best, found = scored.get(hit.programme_id, (0.0, {}, set()))
            hit.matched = {}
            for number in sorted(best):
                term = best[number][1]
                hit.matched[term.removeprefix(analysis.PART)] = self.how[(number, term)]
            hit.terms = found


def rank(
    query: str,
    *,
    candidates: QuerySet | None = None,
    index: Index | None = None,
) -> Ranking:
    """Programmes ranked for ``query`` (best first), among ``candidates`` if given."""
    index = index or DatabaseIndex()
    n = index.documents()
    if n == 0 or not query_words(query):
        return Ranking(index, [], {})
    slots, df = parse_query(query, index)

    def idf(term: str) -> float:
        d = df.get(term, 0)
        return math.log(1 + (n - d + 0.5) / (d + 0.5))

    # A synonym or compound part never counts for more than the word itself would:
    # a rare synonym must not outrank the common exact word (rehabilitering/habilitering).
    factors: Factors = []
    how: dict[tuple[int, str], str] = {}
    several = len(slots) > 1
    for number, slot in enumerate(slots):
        own = [t for t in slot.own if t in df or analysis.PART + t in df]
        cap = max(idf(t) for t in own) if own else math.inf
        scale = W_GENERIC if several and slot.generic else 1.0
        for term, exp in sorted(slot.expansions.items()):
            if term in df:
                factors.append((number, term, scale * exp.weight * min(idf(term), cap)))
                how[(number, term)] = exp.how
    return Ranking(index, factors, how, candidates, df)


# --- the plain baseline ----------------------------------------------------------------


def bm25_baseline(query: str, documents: dict[int, str]) -> list[int]:
    """Textbook BM25 over whole documents: lower-cased words, no stems, synonyms or typos."""
    docs = {pid: analysis.plain_tokens(text) for pid, text in documents.items()}
    n = len(docs)
    avg = sum(len(t) for t in docs.values()) / n if n else 1.0
    df: dict[str, int] = defaultdict(int)
    for toks in docs.values():
        for t in set(toks):
            df[t] += 1
    words = list(dict.fromkeys(analysis.plain_tokens(clean_query(query))))
    scores = []
    for pid, toks in docs.items():
        score = 0.0
        for word in words:
            tf = toks.count(word)
            if tf:
                idf = math.log(1 + (n - df[word] + 0.5) / (df[word] + 0.5))
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(toks) / avg))
        if score > 0:
            scores.append((round(-score, 6), pid))
    return [pid for _score, pid in sorted(scores)]


# --- explaining a hit ------------------------------------------------------------------


def surface_words(texts: Iterable[str], terms: Iterable[str]) -> dict[str, str]:
    """Index term → the first word in ``texts`` that analyses to it (for showing a match)."""
    texts = list(texts)
    wanted = set(terms)
    found: dict[str, str] = {}
    for text in texts:
        for word in analysis.TOKEN.findall(text or ""):
            term = analysis.stem(word.casefold())
            if term in wanted and term not in found:
                found[term] = word.casefold()
        if len(found) == len(wanted):
            break
    # Terms reached through part of a compound ("dem" in "demensomsorg") have no
    # whole word of their own; show the compound rather than a bare stem.
    for term in wanted - found.keys():
        if len(term) < 3:
            continue
        for text in texts:
            word = next(
                (w for w in analysis.TOKEN.findall(text or "") if term in w.casefold()), None
            )
            if word:
                found[term] = word.casefold()
                break
    return found


def highlight(text: str, terms: set[str]) -> SafeString:
    """``text`` escaped, with the words whose term matched wrapped in ``<mark>``."""
    if not terms or not text:
        return mark_safe(escape(text))
    out: list[str] = []
    position = 0
    for match in analysis.TOKEN.finditer(text):
        word = match.group(0)
        out.append(escape(text[position : match.start()]))
        folded = word.casefold()
        if folded not in analysis.STOPWORDS and not terms.isdisjoint(analysis.index_terms(folded)):
            out.append(f"<mark>{escape(word)}</mark>")
        else:
            out.append(escape(word))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))
