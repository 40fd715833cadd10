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

_STEMMER = snowballstemmer.stemmer("norwegian")


def tokens(text: str) -> list[str]:
    """Case-folded word tokens in order, with their stop words left in (for highlighting)."""
    return [t for t in TOKEN.findall(text.casefold()) if not t.isdigit() or len(t) > 1]


def nynorsk_to_bokmal(word: str) -> str:
    if word in NYNORSK_WORDS:
        return NYNORSK_WORDS[word]
    if word.startswith("sjuk"):
        return "syk" + word[4:]
    for suffix, replacement in NYNORSK_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    return word


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """One case-folded word → its search term (nynorsk normalised, then Snowball)."""
    return _STEMMER.stemWord(nynorsk_to_bokmal(word))[:MAX_TERM]


def analyse(text: str) -> list[str]:
    """Text → search terms, stop words dropped, in order (repeats kept for term frequency)."""
    return [stem(t) for t in tokens(text) if t not in STOPWORDS]


def plain_tokens(text: str) -> list[str]:
    """The baseline's analysis: lower-cased words, nothing else."""
    return [t for t in tokens(text) if t not in STOPWORDS]


# Lay and professional words for the same thing. Every word in a group finds the others.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("eldre", "geriatri", "geriatrisk", "alderdom", "aldring", "eldreomsorg", "gamle"),
    ("rus", "rusarbeid", "avhengighet", "rusavhengighet", "rusmisbruk", "rusomsorg", "narkotika"),
    ("lindrende", "palliasjon", "palliativ", "palliative", "livets", "terminal"),
    (
        "utviklingshemming",
        "utviklingshemmede",
        "funksjonsnedsettelse",
        "funksjonshemming",
        "funksjonshemmede",
        "miljøarbeid",
    ),
    ("demens", "alzheimer", "alzheimers", "kognitiv", "demente", "glemsk", "hukommelse"),
    ("psykisk", "psykiatri", "psykiske", "alderspsykiatri"),
    ("kreft", "onkologi", "kreftomsorg", "kreftsyke"),
    ("rehabilitering", "habilitering", "opptrening", "hverdagsrehabilitering"),
    ("barsel", "fødsel", "nyfødte", "spedbarn", "barnepleie"),
    ("barnehage", "barnehagen", "småbarn", "yngste"),
    ("velferdsteknologi", "teknologi", "digitale", "sensor", "trygghetsalarm"),
    ("smittevern", "smitte", "hygiene", "infeksjon"),
    ("steril", "sterilforsyning", "renhold", "spesialrenhold", "desinfeksjon"),
    ("veiledning", "veileder", "veilede", "praksisveileder", "mentor"),
    ("særskilte", "spesialpedagogikk", "spesialpedagogisk", "spesielle"),
    ("ikt", "data", "journal", "journalsystem", "pasientjournal"),
    ("ungdom", "unge", "tenåringer"),
    ("sykehjem", "institusjon", "omsorgsbolig"),
    ("hjemmetjeneste", "hjemmetjenesten", "hjemmesykepleie"),
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


def typo_limit(word: str) -> int:
    """How many edits a word of this length may carry: none for short words."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2
