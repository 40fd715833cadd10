"""Turning Norwegian (and some English) text into search terms. Pure Python, no database.

The same functions analyse programme texts when they are indexed and queries
when they are searched, so both sides meet in one vocabulary of stems:

* tokens are Unicode word characters, case-folded;
* common nynorsk forms are mapped to bokmål before stemming (Snowball's
  "norwegian" stemmer is written for bokmål);
* Snowball stems the rest.

Query-side helpers (synonyms, the English term map, edit distance) live here too.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TERM = 60

# Words too common to help ranking (bokmål and nynorsk function words).
STOPWORDS = frozenset(
    [
        "og",
        "i",
        "på",
        "for",
        "med",
        "til",
        "av",
        "som",
        "en",
        "et",
        "ei",
        "den",
        "det",
        "de",
        "er",
        "å",
        "om",
        "fra",
        "ved",
        "eller",
        "at",
        "har",
        "kan",
        "skal",
        "vil",
        "blir",
        "ble",
        "være",
        "var",
        "seg",
        "sin",
        "sitt",
        "sine",
        "hos",
        "under",
        "over",
        "etter",
        "innen",
        "mot",
        "uten",
        "både",
        "samt",
        "også",
        "ikke",
        "ikkje",
        "eit",
        "dei",
        "frå",
        "til",
        "ved",
        "vere",
        "kva",
        "korleis",
        "kor",
        "som",
        "med",
        "meg",
        "deg",
        "oss",
        "dere",
        "dykk",
        "han",
        "ho",
        "hun",
        # Pronouns and determiners whose stems collide with field words ("dem" is also
        # Snowball's stem of "demens"): never indexed, so they can never match.
        "dem",
        "deim",
        "deira",
        "deires",
        "deres",
        "denne",
        "dette",
        "disse",
        "desse",
        "dette",
        "jeg",
        "vi",
        "du",
        "man",
        "ein",
        "nokon",
        "noen",
        "hva",
        "hvordan",
        "når",
        "der",
        "her",
        "the",
        "and",
        "of",
        "for",
        "in",
        "on",
        "with",
        "to",
        "a",
        "an",
        "or",
    ]
)

# Nynorsk → bokmål, for whole words (after case-folding).
NYNORSK_WORDS = {
    "sjukepleie": "sykepleie",
    "sjukepleiar": "sykepleier",
    "sjukepleiarar": "sykepleiere",
    "sjuk": "syk",
    "sjukdom": "sykdom",
    "sjukdommar": "sykdommer",
    "sjukeheim": "sykehjem",
    "sjukeheimar": "sykehjem",
    "heim": "hjem",
    "heime": "hjemme",
    "heimeteneste": "hjemmetjeneste",
    "heimetenesta": "hjemmetjenesten",
    "heimetenester": "hjemmetjenester",
    "teneste": "tjeneste",
    "tenesta": "tjenesten",
    "tenester": "tjenester",
    "omsorgsteneste": "omsorgstjeneste",
    "helseteneste": "helsetjeneste",
    "born": "barn",
    "borna": "barna",
    "vaksne": "voksne",
    "tilsette": "ansatte",
    "rettleiing": "veiledning",
    "rettleiar": "veileder",
    "åtferd": "atferd",
    "utfordrande": "utfordrende",
    "lindrande": "lindrende",
    "pårørande": "pårørende",
    "funksjonsnedsetjing": "funksjonsnedsettelse",
    "funksjonsnedsetjingar": "funksjonsnedsettelser",
    "utviklingshemma": "utviklingshemmede",
    "psykiske": "psykiske",
    "lidingar": "lidelser",
    "liding": "lidelse",
    "kunnskap": "kunnskap",
    "ferdigheiter": "ferdigheter",
    "ferdigheit": "ferdighet",
    "gjennomføring": "gjennomføring",
    "eldreomsorga": "eldreomsorgen",
    "alderdomen": "alderdommen",
    "verdigheit": "verdighet",
    "tryggleik": "trygghet",
    "smittevernet": "smittevernet",
    "barnehagane": "barnehagene",
    "ungdomar": "ungdommer",
    "arbeidet": "arbeidet",
    "mykje": "mye",
    "nokre": "noen",
    "fagskulen": "fagskolen",
    "fagskule": "fagskole",
    "skule": "skole",
    "skulen": "skolen",
    "heilskapleg": "helhetlig",
    "miljøterapeutisk": "miljøterapeutisk",
    "lærar": "lærer",
    "lærarar": "lærere",
    "lærarane": "lærerne",
    "kvardag": "hverdag",
    "kvardagen": "hverdagen",
    "nyfødde": "nyfødte",
    "løysing": "løsning",
    "løysingar": "løsninger",
    "tenåringar": "tenåringer",
    "korleis": "hvordan",
    "kva": "hva",
    "ikkje": "ikke",
    "eg": "jeg",
}

# Nynorsk endings → bokmål endings, tried longest first when a word is not listed above.
NYNORSK_SUFFIXES = (
    ("tenestene", "tjenestene"),
    ("tenesta", "tjenesten"),
    ("tenester", "tjenester"),
    ("teneste", "tjeneste"),
    ("sjuke", "syke"),
    ("heimar", "hjem"),
    ("heim", "hjem"),
    ("ande", "ende"),
    ("leiar", "leder"),
    ("leiarar", "ledere"),
    ("heit", "het"),
    ("heiter", "heter"),
    ("ingar", "inger"),
    ("setjing", "settelse"),
)

# Abbreviations used in the health and upbringing fields → the words they stand for.
# Kept unstemmed in the index; a query for one also looks for the words.
ABBREVIATIONS = {
    "rop": "rus psykiske lidelser rusavhengighet psykisk",
    "tsb": "rusbehandling rus avhengighet",
    "lar": "legemiddelassistert rus avhengighet",
    "dps": "psykisk helsearbeid psykiatri",
    "bup": "psykisk barn unge psykososialt",
    "pu": "utviklingshemming",
    "bpa": "funksjonsnedsettelse funksjonshemming assistanse",
    "asd": "autisme autismespekteret",
    "asf": "autisme autismespekteret",
    "kols": "lungesykdom sykdom eldre",
    "adl": "hverdagsrehabilitering hverdag mestring",
    "ikt": "ikt digitale journalsystem",
    "epj": "pasientjournal journalsystem journal",
    "hms": "sikkerhet arbeidsmiljø smittevern",
    "mrsa": "smittevern smitte infeksjon",
    "ppt": "spesialpedagogikk særskilte",
    "bhg": "barnehage",
}

_STEMMER = snowballstemmer.stemmer("norwegian")
ADJECTIVE_BASES = frozenset(["psykiatri", "geriatri"])


def tokens(text: str) -> list[str]:
    """Case-folded word tokens in order, with their stop words left in (for highlighting)."""
    return [t for t in TOKEN.findall(text.casefold()) if not t.isdigit() or len(t) > 1]


def nynorsk_to_bokmal(word: str) -> str:
    if word in NYNORSK_WORDS:
        return NYNORSK_WORDS[word]
    if word.startswith("sjuk"):
        return "syk" + word[4:]
    if word.startswith("kvardag"):
        return "hverdag" + word[7:]
    for suffix, replacement in NYNORSK_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    return word


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """One case-folded word → its search term (nynorsk normalised, then Snowball).

    Abbreviations are kept as they are, and a stem that would cut a word down to
    fewer than four letters by three or more ("demens" → "dem") keeps the word,
    so a field word never meets a short function word.
    """
    if word in ABBREVIATIONS:
        return word[:MAX_TERM]
    normal = nynorsk_to_bokmal(word)
    # A field's adjective is the field: "psykiatrisk" → "psykiatri", "geriatriske" → "geriatri".
    for ending in ("iske", "isk"):
        if normal.endswith(ending) and normal[: -len(ending) + 1] in ADJECTIVE_BASES:
            normal = normal[: -len(ending) + 1]
            break
    stemmed = _STEMMER.stemWord(normal)
    if len(stemmed) < 4 and len(normal) - len(stemmed) >= 3:
        stemmed = normal
    return stemmed[:MAX_TERM]


# Marks an index term that is a part of a compound rather than a whole word:
# "demensomsorg" is indexed as "demensomsorg", "+demens" and "+omsorg".
PART = "+"


def index_terms(word: str) -> list[str]:
    """One case-folded word → its own term, then the marked terms of its compound parts."""
    own = stem(word)
    return [own] + [PART + part for part in compound_stems(word) if part != own]


def analyse(text: str) -> list[str]:
    """Text → search terms, stop words dropped, in order (repeats kept for term frequency).

    A compound also yields its parts, marked with ``PART``.
    """
    return [term for t in tokens(text) if t not in STOPWORDS for term in index_terms(t)]


def _words(text: str) -> list[str]:
    return text.split()


# --- compounds ------------------------------------------------------------------------

# Words that name a field or a kind of work and so occur as parts of compounds
# ("demens|omsorg", "rus|behandling", "barnehage|lærar", "kreft|sjuke|pleie").
# Bokmål forms; nynorsk parts are normalised before they are looked up.
COMPOUND_WORDS = frozenset(
    _words(
        """
    demens barnevern alders alder eldre geriatri aldring rus psykiatri psykisk psykose angst depresjon
    avhengighet misbruk middel rusmiddel alkohol narkotika kreft lindrende palliasjon smerte
    barsel fødsel barn barne barnehage småbarn ungdom ungdoms familie oppvekst skole
    spesial pedagog pedagogikk pedagogisk lærer assistent fagarbeider arbeider arbeid
    helse fag sykepleie sykepleier pleie pleier omsorg behandling terapi terapeut
    miljø miljøterapi miljøarbeid rehabilitering habilitering opptrening hverdag
    smitte smittevern hygiene infeksjon steril renhold sterilforsyning desinfeksjon
    velferd teknologi sensor alarm trygghet digital data journal
    veiledning veileder praksis mentor utviklingshemming funksjonshemming autisme
    sykehjem hjem hjemme tjeneste tjenester team avdeling enhet sykdom lidelse lidelser
    pasient bruker pårørende kompetanse kurs opplæring felt feltet vern vernet arbeid
    problem problemer problematikk plager forebygging ernæring legemiddel medisin
    institusjon bolig omsorgsbolig administrasjon ledelse leder sikkerhet kvalitet
    """
    )
)
MIN_PART = 3
_COMPOUND_STEMS = frozenset(stem(word) for word in COMPOUND_WORDS)


def _is_head(part: str) -> bool:
    """A first or middle part: a listed word as written (heads are not inflected)."""
    return nynorsk_to_bokmal(part) in COMPOUND_WORDS


def _is_word(part: str) -> bool:
    """A last part: a listed word in any inflection ("omsorga", "lærarar")."""
    return _is_head(part) or stem(part) in _COMPOUND_STEMS


def _split(word: str, depth: int = 0) -> list[str] | None:
    """``word`` as a sequence of known parts (a linking s or e allowed), or None."""
    if _is_word(word):
        return [word]
    if depth > 3:
        return None
    heads = []
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, rest = word[:cut], word[cut:]
        if _is_head(head):
            base = head
        elif head[-1] in "se" and len(head) > MIN_PART and _is_head(head[:-1]):
            base = head[:-1]
        else:
            continue
        tail = _split(rest, depth + 1)
        if tail is not None:
            return [base, *tail]
        heads.append((base, rest))
    # A long field word first ("demens|vennlig") names the field whatever follows.
    for base, rest in heads:
        if depth == 0 and len(base) >= 5 and len(rest) >= 4:
            return [base, rest]
    return None


@lru_cache(maxsize=50_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The parts of a compound word, first part first; () for a simple word."""
    if len(word) < 2 * MIN_PART + 1 or word in ABBREVIATIONS:
        return ()
    parts = _split(word)
    if parts is None or len(parts) < 2:
        return ()
    return tuple(parts)


def compound_stems(word: str) -> list[str]:
    """The search terms of a compound's parts (each once, in order, at least 3 letters)."""
    out: list[str] = []
    for part in compound_parts(word):
        term = stem(part)
        if len(term) >= MIN_PART and term not in out:
            out.append(term)
    return out


def plain_tokens(text: str) -> list[str]:
    """The baseline's analysis: lower-cased words, nothing else."""
    return [t for t in tokens(text) if t not in STOPWORDS]


# Words for the kind of work or course rather than its field: in a query of several
# words they count for less ("psykiatrisk sykepleie" is about psychiatry).
GENERIC_WORDS = frozenset(
    _words(
        """
    sykepleie sykepleier sykepleiere pleie omsorg behandling arbeid arbeider arbeide jobb
    jobbe jobber kurs opplæring utdanning videreutdanning studie studium fagskole
    kompetanse helse helsefag fagarbeider helsefagarbeider tjeneste tjenester ansatte
    """
    )
)


@lru_cache(maxsize=1)
def generic_stems() -> frozenset[str]:
    return frozenset(stem(word) for word in GENERIC_WORDS)


# Lay and professional words for the same thing. Every word in a group finds the others.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("eldre", "geriatri", "geriatrisk", "alderdom", "aldring", "eldreomsorg", "gamle"),
    (
        "rus",
        "rusarbeid",
        "avhengighet",
        "rusavhengighet",
        "rusmisbruk",
        "rusomsorg",
        "narkotika",
        "rusmiddel",
        "rusmidler",
        "rusbehandling",
        "rusproblemer",
        "rusproblematikk",
        "rusavhengige",
        "misbruk",
        "alkoholisme",
        "alkoholproblemer",
        "legemiddelassistert",
    ),
    ("lindrende", "palliasjon", "palliativ", "palliative", "livets", "terminal"),
    (
        "utviklingshemming",
        "utviklingshemmede",
        "funksjonsnedsettelse",
        "funksjonshemming",
        "funksjonshemmede",
        "miljøarbeid",
        "miljøterapi",
    ),
    ("autisme", "autismespekteret", "autismespekterforstyrrelse", "autist"),
    ("demens", "alzheimer", "alzheimers", "kognitiv", "demente", "glemsk", "hukommelse"),
    (
        "psykisk",
        "psykiatri",
        "psykiatrisk",
        "psykiske",
        "psykose",
        "psykoser",
        "psykiatrien",
    ),
    ("kreft", "onkologi", "kreftomsorg", "kreftsyke"),
    ("rehabilitering", "habilitering", "opptrening", "hverdagsrehabilitering"),
    ("barsel", "fødsel", "nyfødte", "spedbarn", "barnepleie"),
    (
        "barnehage",
        "barnehagen",
        "småbarn",
        "yngste",
        "barnehagelærer",
        "barnehageassistent",
        "småbarnspedagogikk",
        "førskole",
    ),
    ("velferdsteknologi", "teknologi", "digitale", "sensor", "trygghetsalarm"),
    ("smittevern", "smitte", "hygiene", "infeksjon", "smittevernrutiner"),
    ("steril", "sterilforsyning", "renhold", "spesialrenhold", "desinfeksjon", "sterilsentral"),
    ("veiledning", "veileder", "veilede", "praksisveileder", "mentor"),
    (
        "særskilte",
        "spesialpedagogikk",
        "spesialpedagogisk",
        "spesielle",
        "spesialpedagog",
        "spesialundervisning",
        "tilrettelegging",
    ),
    ("ikt", "data", "journal", "journalsystem", "pasientjournal"),
    ("ungdom", "unge", "tenåringer", "ungdommer", "ungdomsarbeid"),
    ("barnevern", "barnevernet", "barnevernspedagog", "omsorgssvikt"),
    ("sykehjem", "institusjon", "omsorgsbolig"),
    ("hjemmetjeneste", "hjemmetjenesten", "hjemmesykepleie", "hjemmebasert"),
)

# English words → Norwegian words. The national plans' English titles and the
# competence areas' English names are added at query time from the database.
ENGLISH_TERMS = {
    "dementia": "demens",
    "alzheimer": "demens alzheimer",
    "alzheimers": "demens alzheimer",
    "palliative": "palliasjon lindrende",
    "palliation": "palliasjon lindrende",
    "hospice": "palliasjon lindrende",
    "cancer": "kreft",
    "oncology": "kreft",
    "elderly": "eldre",
    "older": "eldre",
    "ageing": "aldring",
    "aging": "aldring",
    "geriatric": "geriatri",
    "geriatrics": "geriatri",
    "care": "omsorg pleie",
    "nursing": "pleie sykepleie",
    "mental": "psykisk",
    "psychiatry": "psykiatri",
    "psychiatric": "psykiatri",
    "substance": "rus",
    "addiction": "rus avhengighet",
    "drug": "rus",
    "drugs": "rus",
    "alcohol": "rus",
    "rehabilitation": "rehabilitering",
    "postnatal": "barsel",
    "maternity": "barsel",
    "newborn": "barsel nyfødte",
    "paediatric": "barnepleie",
    "pediatric": "barnepleie",
    "children": "barn",
    "child": "barn",
    "kindergarten": "barnehage",
    "preschool": "barnehage",
    "youth": "unge ungdom",
    "young": "unge",
    "disability": "utviklingshemming funksjonsnedsettelse",
    "disabilities": "utviklingshemming funksjonsnedsettelse",
    "intellectual": "utviklingshemming",
    "welfare": "velferd",
    "technology": "teknologi",
    "infection": "smittevern",
    "hygiene": "smittevern hygiene",
    "sterile": "steril",
    "cleaning": "renhold",
    "guidance": "veiledning",
    "supervision": "veiledning",
    "mentoring": "veiledning",
    "administration": "administrasjon",
    "health": "helse",
    "special": "særskilte",
    "needs": "behov",
    "psychosocial": "psykososialt",
    "home": "hjemme",
}


@lru_cache(maxsize=1)
def synonym_index() -> dict[str, frozenset[str]]:
    """Stem → the stems of every word in its synonym groups."""
    index: dict[str, set[str]] = {}
    for group in SYNONYM_GROUPS:
        stems = {stem(word) for word in group}
        for s in stems:
            index.setdefault(s, set()).update(stems)
    return {key: frozenset(value - {key}) for key, value in index.items()}


def levenshtein_within(a: str, b: str, limit: int) -> int | None:
    """The edit distance between ``a`` and ``b`` if it is at most ``limit``, else None."""
    if abs(len(a) - len(b)) > limit:
        return None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        row_min = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            current.append(value)
            row_min = min(row_min, value)
        if row_min > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None


def typo_distance_within(a: str, b: str, limit: int) -> int | None:
    """Edit distance counting a swap of two neighbouring letters as one edit ("demnes" →
    "demens"), if it is at most ``limit``, else None."""
    if abs(len(a) - len(b)) > limit:
        return None
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(rows[-1][j] + 1, current[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, rows[-2][j - 2] + 1)
            current.append(value)
        if min(current) > limit:
            return None
        rows = [rows[-1], current]
    return rows[-1][-1] if rows[-1][-1] <= limit else None


def typo_limit(word: str) -> int:
    """How many edits a word of this length may carry: none for short words."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2
