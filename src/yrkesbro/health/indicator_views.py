"""The public indicator pages and their open data (CSV, XLSX, JSON, DCAT-AP-NO)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from yrkesbro.health import charts, selectors
from yrkesbro.health.indicators import SHARES
from yrkesbro.health.models import Indicator
from yrkesbro.organisations.models import Kind, Organisation

LICENCE = "https://data.norge.no/nlod/no/2.0"
COLUMNS = ["indicator", "name", "region", "period", "value", "numerator", "denominator"]


def county_from(value: str) -> Organisation | None:
    """The county with this two-digit number; None for the nation; 404 for anything else."""
    if not value:
        return None
    if len(value) > 4 or not value.isascii() or not value.isdigit():
        raise Http404
    county = Organisation.objects.filter(kind=Kind.COUNTY, number=value).first()
    if county is None:
        raise Http404
    return county


def _trend_chart(page: selectors.IndicatorPage) -> str:
    shares = [c.value for c in SHARES]
    series = [
        (str(Indicator(code).label), page.trend.get(code, []))
        for code in shares
        if any(v is not None for v in page.trend.get(code, []))
    ]
    if not series or not page.trend_periods:
        return ""
    return charts.line_chart(
        title=_("Trend per quarter"),
        labels=page.trend_periods,
        series=series,
        range_=(0, 1),
        percent=True,
    )


def indicators_page(request: HttpRequest) -> HttpResponse:
    """Open to everyone: aggregates only."""
    county = county_from(request.GET.get("county", ""))
    page = selectors.indicator_page(county)
    codes = [row.code for row in page.rows]
    compare = request.GET.get("compare", Indicator.MET_FAGSKOLE.value)
    if compare not in codes:
        compare = codes[0] if codes else Indicator.MET_FAGSKOLE.value
    comparison = selectors.county_comparison(compare, page.period)
    compare_row = next((r for r in page.rows if r.code == compare), None)
    is_share = compare in [c.value for c in SHARES]
    comparison_chart = ""
    if any(v is not None for _c, v in comparison):
        comparison_chart = charts.bar_chart(
            title=compare_row.name if compare_row else compare,
            labels=[c.name for c, _v in comparison],
            values=[v for _c, v in comparison],
            percent=is_share,
        )
    counties = [c for c, _v in comparison]
    trend_rows = [(row, page.trend.get(row.code, [])) for row in page.rows if not row.is_count]
    query = f"?county={county.number}" if county else ""
    return render(
        request,
        "health/indicators.html",
        {
            "page": page,
            "county": county,
            "counties": counties,
            "compare": compare,
            "compare_row": compare_row,
            "comparison": [(c, selectors.display_value(compare, v)) for c, v in comparison],
            "comparison_chart": comparison_chart,
            "trend_chart": _trend_chart(page),
            "trend_rows": trend_rows,
            "query": query,
        },
    )


def _rows(county: Organisation | None) -> tuple[selectors.IndicatorPage, list[dict[str, Any]]]:
    page = selectors.indicator_page(county)
    region = county.number if county else "NO"
    return page, [
        {
            "indicator": row.code,
            "name": row.name,
            "region": region,
            "period": row.period,
            "value": row.value,
            "numerator": row.numerator,
            "denominator": row.denominator,
        }
        for row in page.rows
    ]


def _filename(county: Organisation | None, ext: str) -> str:
    return f"indicators-{county.number if county else 'norge'}.{ext}"


def indicators_csv(request: HttpRequest) -> HttpResponse:
    county = county_from(request.GET.get("county", ""))
    _page, rows = _rows(county)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(county, "csv")}"'
    return response


def indicators_xlsx(request: HttpRequest) -> HttpResponse:
    county = county_from(request.GET.get("county", ""))
    _page, rows = _rows(county)
    book = Workbook()
    sheet = book.active
    sheet.title = "indicators"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(county, "xlsx")}"'
    return response


def indicators_json(request: HttpRequest) -> HttpResponse:
    county = county_from(request.GET.get("county", ""))
    page, rows = _rows(county)
    body: dict[str, Any] = {
        "region": {"county": county.number, "name": county.name}
        if county
        else {"county": None, "name": "Norge"},
        "period": page.period,
        "computed": page.computed_at.isoformat(timespec="seconds") if page.computed_at else None,
        "licence": LICENCE,
        "items": [
            {**row, "explanation": selectors.indicator_explanation(row["indicator"])}
            for row in rows
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def dcat(request: HttpRequest) -> HttpResponse:
    """A DCAT-AP-NO description of the open datasets, as JSON-LD a data portal can harvest."""
    site = settings.SITE_URL.rstrip("/")
    base = site + reverse("health:indicators")
    publisher = {"@type": "foaf:Agent", "foaf:name": "Yrkesbro"}

    def distribution(fmt: str, url: str, media: str) -> dict[str, Any]:
        return {
            "@type": "dcat:Distribution",
            "dct:title": {"@language": "nb", "@value": f"Indikatorer ({fmt})"},
            "dcat:accessURL": {"@id": url},
            "dcat:downloadURL": {"@id": url},
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
            "dct:format": {
                "@id": f"http://publications.europa.eu/resource/authority/file-type/{fmt}"
            },
            "dct:license": {"@id": LICENCE},
        }

    datasets = []
    regions: list[tuple[str, str]] = [("", "Norge")] + [
        (c.number, c.name) for c in Organisation.objects.filter(kind=Kind.COUNTY).order_by("number")
    ]
    for number, name in regions:
        query = f"?county={number}" if number else ""
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "@id": f"{base}{query}#dataset",
                "dct:identifier": f"yrkesbro-samarbeidsindikatorer-{number or 'norge'}",
                "dct:title": [
                    {"@language": "nb", "@value": f"Samarbeidsindikatorer – {name}"},
                    {"@language": "en", "@value": f"Collaboration indicators – {name}"},
                ],
                "dct:description": [
                    {
                        "@language": "nb",
                        "@value": "Andel kommuner som møter fagskoler, har skriftlige avtaler, "
                        "deler kompetanseplaner og publiserer behov; andel behov som møtes; "
                        "samarbeidsstrukturer og pulsmålinger. Oppdateres løpende.",
                    },
                    {
                        "@language": "en",
                        "@value": "Shares of municipalities that meet fagskoler, have written "
                        "agreements, share competence plans and publish needs; needs met; "
                        "collaboration structures and pulse averages. Updated continuously.",
                    },
                ],
                "dct:publisher": publisher,
                "dct:license": {"@id": LICENCE},
                "dct:accessRights": {
                    "@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
                },
                "dcat:theme": [
                    {"@id": "http://publications.europa.eu/resource/authority/data-theme/EDUC"}
                ],
                "dct:accrualPeriodicity": {
                    "@id": "http://publications.europa.eu/resource/authority/frequency/CONT"
                },
                "dcat:keyword": [
                    {"@language": "nb", "@value": "fagskole"},
                    {"@language": "nb", "@value": "kommune"},
                    {"@language": "nb", "@value": "samarbeid"},
                ],
                "dct:spatial": {
                    "@id": f"https://data.geonorge.no/administrativeEnheter/fylke/id/{number}"
                }
                if number
                else {"@id": "http://publications.europa.eu/resource/authority/country/NOR"},
                "dcat:landingPage": {"@id": f"{base}{query}"},
                "dcat:distribution": [
                    distribution(
                        "CSV", f"{site}{reverse('health:indicators_csv')}{query}", "text/csv"
                    ),
                    distribution(
                        "JSON",
                        f"{site}{reverse('health:indicators_json')}{query}",
                        "application/json",
                    ),
                    distribution(
                        "XLSX",
                        f"{site}{reverse('health:indicators_xlsx')}{query}",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                ],
            }
        )
    body = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "@id": f"{base}#catalog",
        "dct:title": {"@language": "nb", "@value": "Yrkesbro – åpne data om samarbeid"},
        "dct:publisher": publisher,
        "dct:license": {"@id": LICENCE},
        "dcat:dataset": datasets,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/ld+json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
