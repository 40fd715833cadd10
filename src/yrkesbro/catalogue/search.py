"""Norwegian programme search: an inverted index in plain tables, ranked in Python.

Indexing (``index_programme``) analyses a programme's title, its national
plan's titles, description, learning outcomes and the names and synonyms of
the competence areas its plan covers into ``SearchTerm`` rows.

Searching (``rank``) expands every query word into weighted terms (its stem,
synonyms, English → Norwegian, compound parts, typo corrections against the
index vocabulary), fetches the postings of those terms with one query, and
scores with BM25 over field-weighted term frequencies. Candidate retrieval is
a plain ``term IN (...)`` lookup and the scoring is Python, so the ranking is
the same on SQLite and PostgreSQL; ties are broken by programme id.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from yrkesbro.catalogue import analysis
from yrkesbro.catalogue.models import Programme, SearchTerm

# Fields of the search document and how much a match in each counts.
TITLE, PLAN, DESCRIPTION, OUTCOMES, AREAS = range(5)
FIELD_BOOST = {TITLE: 3.0, PLAN: 2.0, DESCRIPTION: 1.0, OUTCOMES: 0.8, AREAS: 1.5}
BOOST_TENTHS = {key: round(value * 10) for key, value in FIELD_BOOST.items()}
K1 = 1.2
B = 0.75
MAX_QUERY_CHARS = 2000
MAX_QUERY_WORDS = 24
MAX_EXPANSIONS = 24

# Weight of a term reached another way than the query word's own stem.
W_EXACT, W_ENGLISH, W_SYNONYM, W_COMPOUND, W_TYPO1, W_TYPO2 = 1.0, 0.9, 0.7, 0.5, 0.8, 0.6


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
            length += 1
    return counts, length


def index_programme(programme: Programme) -> None:
    """(Re)build one programme's rows in the index. Called by every service that saves one."""
    counts, length = document_terms(document_fields(programme))
    with transaction.atomic():
        SearchTerm.objects.filter(programme=programme).delete()
        SearchTerm.objects.bulk_create(
            SearchTerm(programme=programme, term=term, field=field_no, tf=min(tf, 32000))
            for (term, field_no), tf in counts.items()
        )
        Programme.objects.filter(pk=programme.pk).update(search_length=length)
    programme.search_length = length


def reindex(programmes: Iterable[Programme] | None = None) -> int:
    qs = programmes if programmes is not None else Programme.objects.select_related("national_plan")
    n = 0
    for programme in qs:
        index_programme(programme)
        n += 1
    return n


# --- the index, as the ranking sees it -------------------------------------------------


@dataclass
class Stats:
    n: int
    avg_length: float
    df: dict[str, int]
    lengths: dict[int, int] = field(default_factory=dict)  # programme id → document length

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))


class Index(Protocol):
    def stats(self) -> Stats: ...

    def postings(
        self, terms: set[str], candidates: QuerySet | None
    ) -> tuple[list[tuple[int, str, int, int]], dict[int, int]]: ...


class DatabaseIndex:
    """The ``SearchTerm`` table. Vocabulary statistics are cached per process per index version."""

    _lock = threading.Lock()
    _cache: tuple[tuple, Stats] | None = None

    def _version(self) -> tuple:
        return (
            SearchTerm.objects.aggregate(m=Max("id"))["m"],
            Programme.objects.count(),
        )

    def stats(self) -> Stats:
        version = self._version()
        cached = DatabaseIndex._cache
        if cached is not None and cached[0] == version:
            return cached[1]
        df = dict(
            SearchTerm.objects.values("term")
            .annotate(df=Count("programme", distinct=True))
            .values_list("term", "df")
        )
        lengths = dict(Programme.objects.values_list("id", "search_length"))
        avg = (sum(lengths.values()) / len(lengths)) if lengths else 1.0
        stats = Stats(n=version[1], avg_length=float(avg), df=df, lengths=lengths)
        with DatabaseIndex._lock:
            DatabaseIndex._cache = (version, stats)
        return stats

    def postings(
        self, terms: set[str], candidates: QuerySet | None
    ) -> tuple[list[tuple[int, str, int, int]], dict[int, int]]:
        rows = SearchTerm.objects.filter(term__in=sorted(terms))
        if candidates is not None:
            rows = rows.filter(programme_id__in=candidates.values("id"))
        postings = list(rows.values_list("programme_id", "term", "field", "tf"))
        return postings, self.stats().lengths


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
        n = len(documents)
        df = {term: len({r[0] for r in rows}) for term, rows in self.rows.items()}
        avg = (sum(self.lengths.values()) / n) if n else 1.0
        self._stats = Stats(n=n, avg_length=avg, df=df)

    def stats(self) -> Stats:
        return self._stats

    def postings(
        self, terms: set[str], candidates: QuerySet | None
    ) -> tuple[list[tuple[int, str, int, int]], dict[int, int]]:
        allowed = set(candidates.values_list("id", flat=True)) if candidates is not None else None
        postings = [
            row
            for term in sorted(terms)
            for row in self.rows.get(term, [])
            if allowed is None or row[0] in allowed
        ]
        return postings, {pid: self.lengths[pid] for pid in {p[0] for p in postings}}


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

    def add(self, term: str, weight: float, how: str) -> None:
        current = self.expansions.get(term)
        if current is None or current.weight < weight:
            self.expansions[term] = Expansion(term, weight, how)


@dataclass
class Hit:
    programme_id: int
    score: float | None
    matched: dict[str, str]  # index term → how it was reached (the best per query word)
    terms: set[str] = field(default_factory=set)  # every index term of the query it contains


def clean_query(query: str) -> str:
    return (query or "")[:MAX_QUERY_CHARS].strip()


def parse_query(query: str, stats: Stats) -> list[Slot]:
    """Query text → slots of weighted index terms."""
    vocabulary = stats.df
    words: list[str] = []
    for word in analysis.tokens(clean_query(query)):
        if word not in analysis.STOPWORDS and word not in words and len(word) <= 60:
            words.append(word)
    synonyms = analysis.synonym_index()
    slots = []
    for word in words[:MAX_QUERY_WORDS]:
        slot = Slot(word)
        base = analysis.stem(word)
        slot.add(base, W_EXACT, "exact")
        english = analysis.ENGLISH_TERMS.get(word)
        if english:
            for nb in english.split():
                slot.add(analysis.stem(nb), W_ENGLISH, "english")
        for term in list(slot.expansions):
            for syn in synonyms.get(term, ()):
                slot.add(syn, W_SYNONYM * slot.expansions[term].weight, "synonym")
        known = [t for t in slot.expansions if t in vocabulary]
        if not known:
            limit = analysis.typo_limit(base)
            best: list[tuple[int, str]] = []
            if limit:
                for term in vocabulary:
                    distance = analysis.levenshtein_within(base, term, limit)
                    if distance is not None:
                        best.append((distance, term))
            best.sort()
            for distance, term in best[:3]:
                slot.add(term, W_TYPO1 if distance == 1 else W_TYPO2, "typo")
                for syn in synonyms.get(term, ()):
                    slot.add(syn, W_SYNONYM * W_TYPO2, "synonym")
        # Norwegian compounds: "demens" also finds "demensomsorg", "omsorg" "eldreomsorg".
        heads = [
            t for t, e in slot.expansions.items() if e.how in ("exact", "typo") and len(t) >= 4
        ]
        if len(word) >= 5 and word not in heads:
            heads.append(word)
        compound: list[str] = []
        for term in vocabulary:
            for head in heads:
                if term != head and (
                    term.startswith(head) or (len(head) >= 5 and term.endswith(head))
                ):
                    compound.append(term)
                    break
        for term in sorted(compound, key=lambda t: (-vocabulary[t], t))[:MAX_EXPANSIONS]:
            slot.add(term, W_COMPOUND, "compound")
        slots.append(slot)
    return slots


def rank(
    query: str,
    *,
    candidates: QuerySet | None = None,
    index: Index | None = None,
) -> list[Hit]:
    """Programme ids ranked for ``query`` (best first), among ``candidates`` if given."""
    index = index or DatabaseIndex()
    stats = index.stats()
    slots = parse_query(query, stats)
    if not slots or stats.n == 0:
        return []
    terms = {t for slot in slots for t in slot.expansions}
    postings, lengths = index.postings(terms, candidates)
    # programme → term → field-weighted frequency
    # Summed in tenths as integers, so the order rows arrive in cannot change the result.
    summed: dict[tuple[int, str], int] = {}
    for pid, term, field_no, tf in postings:
        key = (pid, term)
        summed[key] = summed.get(key, 0) + BOOST_TENTHS.get(field_no, 10) * tf
    weighted: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for (pid, term), tenths in summed.items():
        weighted[pid].append((term, tenths))
    # term → [(slot number, weight * capped idf, expansion)], computed once per query
    by_term: dict[str, list[tuple[int, float, Expansion]]] = defaultdict(list)
    # A synonym or compound part never counts for more than the word itself would:
    # a rare synonym must not outrank the common exact word (rehabilitering/habilitering).
    caps = []
    for slot in slots:
        own = [
            t
            for t, e in slot.expansions.items()
            if e.how in ("exact", "english", "typo") and t in stats.df
        ]
        caps.append(max(stats.idf(t) for t in own) if own else math.inf)
    for number, (slot, cap) in enumerate(zip(slots, caps, strict=True)):
        for term, exp in slot.expansions.items():
            by_term[term].append((number, exp.weight * min(stats.idf(term), cap), exp))
    avg_length = stats.avg_length or 1.0
    hits = []
    for pid, term_tfs in weighted.items():
        norm = K1 * (1 - B + B * (lengths.get(pid, 0) / avg_length))
        best: dict[int, tuple[float, Expansion]] = {}
        for term, tenths in term_tfs:
            weight_tf = tenths / 10
            saturation = weight_tf * (K1 + 1) / (weight_tf + norm)
            for number, factor, exp in by_term[term]:
                value = factor * saturation
                current = best.get(number)
                # Ties between expansions go to the alphabetically first term (stable output).
                if (
                    current is None
                    or value > current[0]
                    or (value == current[0] and exp.term < current[1].term)
                ):
                    best[number] = (value, exp)
        score = sum(best[number][0] for number in sorted(best))
        if score > 0:
            matched = {exp.term: exp.how for _value, exp in best.values()}
            hits.append(Hit(pid, round(score, 6), matched, {t for t, _n in term_tfs}))
    hits.sort(key=lambda h: (-(h.score or 0.0), h.programme_id))
    return hits


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
        if folded not in analysis.STOPWORDS and analysis.stem(folded) in terms:
            out.append(f"<mark>{escape(word)}</mark>")
        else:
            out.append(escape(word))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))
