"""The open-data catalogue: every public aggregate, described in DCAT-AP-NO.

Apps declare their open datasets in an ``opendata.py`` module of their own::

    from yrkesbro.core.opendata import Dataset, Distribution, register

    register(Dataset(
        key="gaps",
        title=_("Gaps between demand and supply"),
        description=_("..."),
        keywords=[_("competence needs"), ...],
        themes=["EDUC"],
        landing_page="matching:gaps",
        distributions=[Distribution("matching:gaps_csv", "CSV"), ...],
    ))

``/open-data/`` lists them for people; ``/open-data/catalog.ttl`` and
``/open-data/catalog.jsonld`` describe them for a national data portal
(data.norge.no harvests DCAT-AP-NO). Every dataset is under the Norwegian
Licence for Open Government Data (NLOD 2.0). Texts are given in bokmål,
nynorsk and English, read from the translation catalogues.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

NLOD = "http://data.norge.no/nlod/no/2.0"
DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
NORWAY = "http://publications.europa.eu/resource/authority/country/NOR"
LANGUAGES = (("nb", "nb"), ("nn", "nn"), ("en", "en"))
MEDIA_TYPES = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True)
class Distribution:
    """One way to download a dataset: a URL name (with an optional query) and a format."""

    url_name: str
    format: str  # CSV, JSON or XLSX
    query: str = ""

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    def path(self) -> str:
        return reverse(self.url_name) + self.query


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str | Promise
    description: str | Promise
    landing_page: str  # a URL name
    distributions: list[Distribution]
    keywords: list[str | Promise] = field(default_factory=list)
    themes: list[str] = field(default_factory=lambda: ["EDUC"])
    frequency: str = "CONT"  # continuously updated

    def landing_path(self) -> str:
        return reverse(self.landing_page)


_REGISTRY: dict[str, Dataset] = {}
_discovered = False


def register(dataset: Dataset) -> Dataset:
    _REGISTRY[dataset.key] = dataset
    return dataset


def datasets() -> list[Dataset]:
    """Every registered dataset, in the order of their titles in the active language."""
    global _discovered
    if not _discovered:
        autodiscover_modules("opendata")
        _discovered = True
    return sorted(_REGISTRY.values(), key=lambda d: str(d.title).lower())


def _texts(value: str | Promise) -> dict[str, str]:
    """A translatable text in each of the three languages."""
    out = {}
    for code, tag in LANGUAGES:
        with translation.override(code):
            out[tag] = str(value)
    return out


def _publisher() -> dict[str, str]:
    return {
        "name": getattr(settings, "OPEN_DATA_PUBLISHER", "") or "Yrkesbro",
        "uri": getattr(settings, "OPEN_DATA_PUBLISHER_URI", "") or f"{settings.SITE_URL}/",
        "email": getattr(settings, "OPEN_DATA_CONTACT_EMAIL", "") or "",
    }


def catalog(base: str | None = None) -> dict[str, Any]:
    """The catalogue as plain data: one structure both serialisations are written from."""
    base = (base or settings.SITE_URL).rstrip("/")
    catalog_uri = f"{base}{reverse('core:open_data')}"
    items = []
    for d in datasets():
        uri = f"{catalog_uri}#{d.key}"
        items.append(
            {
                "uri": uri,
                "key": d.key,
                "title": _texts(d.title),
                "description": _texts(d.description),
                "keywords": [_texts(k) for k in d.keywords],
                "themes": [DATA_THEME + t for t in d.themes],
                "landing_page": f"{base}{d.landing_path()}",
                "frequency": FREQUENCY + d.frequency,
                "distributions": [
                    {
                        "uri": f"{uri}-{i + 1}-{dist.format.lower()}",
                        "url": f"{base}{dist.path()}",
                        "format": FILE_TYPE + dist.format,
                        "format_name": dist.format,
                        "media_type": dist.media_type,
                    }
                    for i, dist in enumerate(d.distributions)
                ],
            }
        )
    return {
        "uri": catalog_uri,
        "title": _texts(_catalog_title()),
        "description": _texts(_catalog_description()),
        "publisher": _publisher(),
        "datasets": items,
    }


def _catalog_title() -> Promise:
    from django.utils.translation import gettext_lazy as _

    return _("Yrkesbro open data")


def _catalog_description() -> Promise:
    from django.utils.translation import gettext_lazy as _

    return _(
        "Aggregated figures on competence needs, supply and collaboration between vocational "
        "education and working life in Norway. Never single persons."
    )


# --- Turtle --------------------------------------------------------------------------------


def _lit(text: str, lang: str | None = None) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _iri(uri: str) -> str:
    return "<" + "".join(c for c in uri if c not in '<>"{}|^`\\ ') + ">"


def _lang_literals(texts: dict[str, str]) -> str:
    return ", ".join(_lit(v, k) for k, v in texts.items())


def to_turtle(data: dict[str, Any]) -> str:
    lines = [f"@prefix {p}: <{u}> ." for p, u in PREFIXES.items()]
    lines.append("")
    pub = data["publisher"]
    lines += [
        f"{_iri(data['uri'])} a dcat:Catalog ;",
        f"    dct:title {_lang_literals(data['title'])} ;",
        f"    dct:description {_lang_literals(data['description'])} ;",
        f"    dct:publisher {_iri(pub['uri'])} ;",
        f"    dct:license {_iri(NLOD)} ;",
    ]
    datasets_ = data["datasets"]
    if datasets_:
        lines.append("    dcat:dataset " + ", ".join(_iri(d["uri"]) for d in datasets_) + " .")
    else:
        lines[-1] = lines[-1].rstrip(" ;") + " ."
    lines += ["", f"{_iri(pub['uri'])} a foaf:Agent ;", f"    foaf:name {_lit(pub['name'])} ."]
    for d in datasets_:
        lines += [
            "",
            f"{_iri(d['uri'])} a dcat:Dataset ;",
            f"    dct:identifier {_lit(d['uri'])} ;",
            f"    dct:title {_lang_literals(d['title'])} ;",
            f"    dct:description {_lang_literals(d['description'])} ;",
            f"    dct:publisher {_iri(pub['uri'])} ;",
            f"    dct:accessRights {_iri(ACCESS_RIGHT)} ;",
            f"    dct:spatial {_iri(NORWAY)} ;",
            f"    dct:accrualPeriodicity {_iri(d['frequency'])} ;",
            f"    dcat:landingPage {_iri(d['landing_page'])} ;",
        ]
        if pub["email"]:
            lines.append(
                f"    dcat:contactPoint [ a vcard:Organization ; "
                f"vcard:hasEmail {_iri('mailto:' + pub['email'])} ] ;"
            )
        for theme in d["themes"]:
            lines.append(f"    dcat:theme {_iri(theme)} ;")
        for keyword in d["keywords"]:
            lines.append(f"    dcat:keyword {_lang_literals(keyword)} ;")
        dists = ", ".join(_iri(x["uri"]) for x in d["distributions"])
        lines.append(f"    dcat:distribution {dists} ." if dists else "    .")
        for x in d["distributions"]:
            lines += [
                "",
                f"{_iri(x['uri'])} a dcat:Distribution ;",
                f"    dct:title {_lit(x['format_name'])} ;",
                f"    dcat:accessURL {_iri(x['url'])} ;",
                f"    dcat:downloadURL {_iri(x['url'])} ;",
                f"    dct:format {_iri(x['format'])} ;",
                f"    dcat:mediaType {_lit(x['media_type'])} ;",
                f"    dct:license {_iri(NLOD)} .",
            ]
    return "\n".join(lines) + "\n"


# --- JSON-LD -------------------------------------------------------------------------------


def _lang_values(texts: dict[str, str]) -> list[dict[str, str]]:
    return [{"@value": v, "@language": k} for k, v in texts.items()]


def to_jsonld(data: dict[str, Any]) -> str:
    pub = data["publisher"]
    datasets_ = []
    for d in data["datasets"]:
        item: dict[str, Any] = {
            "@id": d["uri"],
            "@type": "dcat:Dataset",
            "dct:identifier": d["uri"],
            "dct:title": _lang_values(d["title"]),
            "dct:description": _lang_values(d["description"]),
            "dct:publisher": {"@id": pub["uri"]},
            "dct:accessRights": {"@id": ACCESS_RIGHT},
            "dct:spatial": {"@id": NORWAY},
            "dct:accrualPeriodicity": {"@id": d["frequency"]},
            "dcat:landingPage": {"@id": d["landing_page"]},
            "dcat:theme": [{"@id": t} for t in d["themes"]],
            "dcat:keyword": [v for k in d["keywords"] for v in _lang_values(k)],
            "dcat:distribution": [
                {
                    "@id": x["uri"],
                    "@type": "dcat:Distribution",
                    "dct:title": x["format_name"],
                    "dcat:accessURL": {"@id": x["url"]},
                    "dcat:downloadURL": {"@id": x["url"]},
                    "dct:format": {"@id": x["format"]},
                    "dcat:mediaType": x["media_type"],
                    "dct:license": {"@id": NLOD},
                }
                for x in d["distributions"]
            ],
        }
        if pub["email"]:
            item["dcat:contactPoint"] = {
                "@type": "vcard:Organization",
                "vcard:hasEmail": {"@id": "mailto:" + pub["email"]},
            }
        datasets_.append(item)
    doc = {
        "@context": PREFIXES,
        "@graph": [
            {
                "@id": data["uri"],
                "@type": "dcat:Catalog",
                "dct:title": _lang_values(data["title"]),
                "dct:description": _lang_values(data["description"]),
                "dct:publisher": {"@id": pub["uri"]},
                "dct:license": {"@id": NLOD},
                "dcat:dataset": [{"@id": d["uri"]} for d in data["datasets"]],
            },
            {"@id": pub["uri"], "@type": "foaf:Agent", "foaf:name": pub["name"]},
            *datasets_,
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)
