"""Norwegian programme search: an inverted index in plain tables, ranked by BM25 in SQL.

Indexing (``index_programme``) analyses a programme's title, its national
plan's titles, description, learning outcomes and the names and synonyms of
the competence areas its plan covers into ``SearchTerm`` rows; compounds are
split at index time (``demensomsorg`` also gives ``+demens`` and ``+omsorg``),
and every new term goes into ``SearchVocabulary``.

Searching (``rank``) expands every query word into weighted terms (its stem,
synonyms, English words and abbreviations, compound parts, typo corrections),
then asks the index three things, each answered through an index and never by
reading the whole vocabulary or every posting into Python:

* the document frequency of just those terms (``term IN (...)``, grouped);
* for a word no document contains, the vocabulary terms near it (PostgreSQL: a
  ``pg_trgm`` trigram index; SQLite: range look-ups on the first letters and on
  the reversed last letters), checked with an edit distance in Python;
* the BM25 score of each matching programme, summed in SQL over field-weighted
  term frequencies (the best expansion of each query word counts).

The same SQL runs on SQLite and PostgreSQL, and ``MemoryIndex`` computes the same
figures in Python (tests compare them). Ties are broken by programme id. Which
terms matched ("why it matched", highlighting) is worked out only for the page
being shown (``Ranking.explain``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from yrkesbro.catalogue import analysis
from yrkesbro.catalogue.models import Programme, SearchTerm, SearchVocabulary

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


def document_terms(texts: dict[int, str]) -> tuple[dict[tuple[str, int], int], int]:
    """((term, field) → frequency, document length in terms)."""
    counts: dict[tuple[str, int], int] = defaultdict(int)
    length = 0
    for field_no, text in texts.items():
        for term in analysis.analyse(text):
            counts[(term, field_no)] += 1
            if not term.startswith(analysis.PART):
                length += 1
    return counts, length


def add_vocabulary(terms: Iterable[str]) -> None:
    """Record index terms in ``SearchVocabulary`` (the typo look-up's word list)."""
    new = sorted({t for t in terms if not t.startswith(analysis.PART)})
    for start in range(0, len(new), 5000):
        SearchVocabulary.objects.bulk_create(
            [SearchVocabulary(term=t, reversed_term=t[::-1]) for t in new[start : start + 5000]],
            ignore_conflicts=True,
        )


def index_programme(programme: Programme) -> None:
    """(Re)build one programme's rows in the index. Called by every service that saves one."""
    counts, length = document_terms(document_fields(programme))
    with transaction.atomic():
        SearchTerm.objects.filter(programme=programme).delete()
        SearchTerm.objects.bulk_create(
            SearchTerm(programme=programme, term=term, field=field_no, tf=min(tf, 32000))
            for (term, field_no), tf in counts.items()
        )
        add_vocabulary(term for term, _field in counts)
        Programme.objects.filter(pk=programme.pk).update(search_length=length)
    programme.search_length = length


def reindex(programmes: Iterable[Programme] | None = None) -> int:
    qs = programmes if programmes is not None else Programme.objects.select_related("national_plan")
    n = 0
    for programme in qs:
        index_programme(programme)
        n += 1
    if programmes is None:
        SearchVocabulary.objects.get_or_create(term=ANALYSIS_MARK, reversed_term=ANALYSIS_MARK)
    return n


# Bumped when the analysis changes what an indexed text yields; a vocabulary row with
# this (unsearchable) term says the index was built by this analysis.
ANALYSIS_MARK = "#analysis-2"


def reindex_if_outdated() -> int:
    """Rebuild the whole index once after an analysis change (safe to run twice)."""
    if SearchVocabulary.objects.filter(term=ANALYSIS_MARK).exists():
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
    postings: Iterable[tuple[int, str, int, int]],
    lengths: dict[int, int],
    avg_length: float,
    factors: Factors,
) -> dict[int, tuple[float, dict[int, tuple[float, str]], set[str]]]:
    """Programme → (score, query word number → (value, best term), terms found), in Python.

    The same arithmetic as ``DatabaseIndex.scores`` does in SQL.
    """
    summed: dict[tuple[int, str], int] = {}
    for pid, term, field_no, tf in postings:
        key = (pid, term)
        summed[key] = summed.get(key, 0) + BOOST_TENTHS.get(field_no, 10) * tf
    by_term: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, term, factor in factors:
        by_term[term].append((number, factor))
    out: dict[int, tuple[float, dict[int, tuple[float, str]], set[str]]] = {}
    for (pid, term), tenths in sorted(summed.items()):
        value_tf = saturation(tenths, float(lengths.get(pid, 0)), avg_length)
        _score, best, found = out.setdefault(pid, (0.0, {}, set()))
        found.add(term)
        for number, factor in by_term[term]:
            value = factor * value_tf
            current = best.get(number)
            # Ties between expansions go to the alphabetically first term (stable output).
            if current is None or value > current[0] or (value == current[0] and term < current[1]):
                best[number] = (value, term)
    return {
        pid: (sum(best[n][0] for n in sorted(best)), best, found)
        for pid, (_s, best, found) in out.items()
    }


class Index(Protocol):
    def totals(self) -> tuple[int, float]: ...

    def df(self, terms: set[str]) -> dict[str, int]: ...

    def near(self, word: str, limit: int) -> list[str]: ...

    def scores(
        self, factors: Factors, avg_length: float, candidates: QuerySet | None
    ) -> list[tuple[int, float]]: ...

    def postings(
        self, terms: set[str], programme_ids: list[int]
    ) -> tuple[list[tuple[int, str, int, int]], dict[int, int]]: ...


class DatabaseIndex:
    """The ``SearchTerm`` and ``SearchVocabulary`` tables; nothing is cached per process."""

    def totals(self) -> tuple[int, float]:
        # Served by the index on search_length (no pass over the programme rows' texts).
        row = Programme.objects.aggregate(n=Count("search_length"), total=Sum("search_length"))
        n = row["n"] or 0
        return n, (row["total"] / n if n and row["total"] else 1.0)

    def df(self, terms: set[str]) -> dict[str, int]:
        if not terms:
            return {}
        return dict(
            SearchTerm.objects.filter(term__in=sorted(terms))
            .values("term")
            .annotate(df=Count("programme_id", distinct=True))
            .values_list("term", "df")
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
                    " AND length(term) BETWEEN %s AND %s"
                    " ORDER BY similarity(term, %s) DESC, term LIMIT %s",
                    [word, low, high, word, MAX_TYPO_CANDIDATES],
                )
                return [row[0] for row in cursor.fetchall()]
        # A typo of up to two edits leaves either the first two or the last three
        # letters alone (in all but very short words); both are range look-ups.
        head, tail = word[:2], word[-3:][::-1]
        found = SearchVocabulary.objects.filter(
            term__gte=head, term__lt=head + "\U0010ffff"
        ).values_list("term", flat=True)[:MAX_TYPO_CANDIDATES]
        found_tail = SearchVocabulary.objects.filter(
            reversed_term__gte=tail, reversed_term__lt=tail + "\U0010ffff"
        ).values_list("term", flat=True)[:MAX_TYPO_CANDIDATES]
        return sorted({t for t in [*found, *found_tail] if low <= len(t) <= high})

    def scores(
        self, factors: Factors, avg_length: float, candidates: QuerySet | None
    ) -> list[tuple[int, float]]:
        if not factors:
            return []
        qn = connection.ops.quote_name
        term_table = qn(SearchTerm._meta.db_table)
        programme_table = qn(Programme._meta.db_table)
        real = "DOUBLE PRECISION"
        values = ", ".join(
            [f"(CAST(%s AS INTEGER), CAST(%s AS VARCHAR(61)), CAST(%s AS {real}))"] * len(factors)
        )
        params: list[Any] = [x for row in factors for x in row]
        terms = sorted({term for _n, term, _f in factors})
        boost = " ".join(f"WHEN {f} THEN {t}" for f, t in sorted(BOOST_TENTHS.items()))
        where = f"st.term IN ({', '.join(['%s'] * len(terms))})"
        params.extend(terms)
        if candidates is not None:
            sub_sql, sub_params = candidates.values("id").query.sql_with_params()
            where += f" AND st.programme_id IN ({sub_sql})"
            params.extend(sub_params)
        params.extend([K1 + 1, K1, B, B, avg_length])
        sql = f"""
            WITH q (slot, term, factor) AS (VALUES {values}),
            tf AS (
                SELECT st.programme_id AS pid, st.term AS term,
                       SUM((CASE st.field {boost} ELSE 10 END) * st.tf) AS tenths
                FROM {term_table} st
                WHERE {where}
                GROUP BY st.programme_id, st.term
            ),
            best AS (
                SELECT tf.pid AS pid, q.slot AS slot,
                       MAX(q.factor * (
                           (CAST(tf.tenths AS {real}) / 10) * CAST(%s AS {real})
                           / ((CAST(tf.tenths AS {real}) / 10) + CAST(%s AS {real}) * (
                               1 - CAST(%s AS {real}) + CAST(%s AS {real})
                               * (CAST(p.search_length AS {real}) / CAST(%s AS {real}))
                           ))
                       )) AS value
                FROM tf
                JOIN q ON q.term = tf.term
                JOIN {programme_table} p ON p.id = tf.pid
                GROUP BY tf.pid, q.slot
            )
            SELECT pid, SUM(value) FROM best GROUP BY pid
        """  # noqa: S608 - table names from the models, values as parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(pid, float(score)) for pid, score in cursor.fetchall()]

    def postings(
        self, terms: set[str], programme_ids: list[int]
    ) -> tuple[list[tuple[int, str, int, int]], dict[int, int]]:
        rows = SearchTerm.objects.filter(term__in=sorted(terms), programme_id__in=programme_ids)
        lengths = dict(
            Programme.objects.filter(id__in=programme_ids).values_list("id", "search_length")
        )
        return list(rows.values_list("programme_id", "term", "field", "tf")), lengths


class MemoryIndex:
    """The same index built in memory from documents: for tests and the benchmark baseline."""

    def __init__(self, documents: dict[int, dict[int, str]]):
        self.rows: dict[str, list[tuple[int, str, int, int]]] = defaultdict(list)
        self.lengths: dict[int, int] = {}
        for pid, texts in documents.items():
            counts, length = document_terms(texts)
            self.lengths[pid] = length
            for (term, field_no), tf in counts.items():
                self.rows[term].append((pid, term, field_no, tf))
        self._df = {term: len({r[0] for r in rows}) for term, rows in self.rows.items()}

    def totals(self) -> tuple[int, float]:
        n = len(self.lengths)
        total = sum(self.lengths.values())
        return n, (total / n if n and total else 1.0)

    def df(self, terms: set[str]) -> dict[str, int]:
        return {t: self._df[t] for t in terms if t in self._df}

    def near(self, word: str, limit: int) -> list[str]:
        return sorted(t for t in self._df if not t.startswith(analysis.PART))

    def scores(
        self, factors: Factors, avg_length: float, candidates: QuerySet | None
    ) -> list[tuple[int, float]]:
        allowed = set(candidates.values_list("id", flat=True)) if candidates is not None else None
        terms = {term for _n, term, _f in factors}
        postings = [
            row
            for term in sorted(terms)
            for row in self.rows.get(term, [])
            if allowed is None or row[0] in allowed
        ]
        scored = score_postings(postings, self.lengths, avg_length, factors)
        return [(pid, score) for pid, (score, _best, _found) in scored.items()]

    def postings(
        self, terms: set[str], programme_ids: list[int]
    ) -> tuple[list[tuple[int, str, int, int]], dict[int, int]]:
        wanted = set(programme_ids)
        rows = [
            row for term in sorted(terms) for row in self.rows.get(term, []) if row[0] in wanted
        ]
        return rows, {pid: self.lengths[pid] for pid in wanted if pid in self.lengths}


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


class Ranking(list[Hit]):
    """Ranked hits; ``explain`` fills in which terms matched, for the hits being shown."""

    def __init__(
        self, hits: list[Hit], index: Index, factors: Factors, how: dict[tuple[int, str], str]
    ):
        super().__init__(hits)
        self.source, self.factors, self.how = index, factors, how
        self.avg_length = 1.0

    def explain(self, hits: list[Hit]) -> None:
        todo = [h for h in hits if h.score is not None and not h.matched]
        if not todo:
            return
        terms = {term for _n, term, _f in self.factors}
        postings, lengths = self.source.postings(terms, [h.programme_id for h in todo])
        scored = score_postings(postings, lengths, self.avg_length, self.factors)
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
    """Programme ids ranked for ``query`` (best first), among ``candidates`` if given."""
    index = index or DatabaseIndex()
    n, avg_length = index.totals()
    if n == 0 or not query_words(query):
        return Ranking([], index, [], {})
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
    avg = avg_length or 1.0
    hits = [Hit(pid, round(score, 6), {}) for pid, score in index.scores(factors, avg, candidates)]
    hits = [h for h in hits if (h.score or 0) > 0]
    hits.sort(key=lambda h: (-(h.score or 0.0), h.programme_id))
    ranking = Ranking(hits, index, factors, how)
    ranking.avg_length = avg
    return ranking


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
