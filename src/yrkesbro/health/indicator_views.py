"""The public indicator pages and their open data (CSV, XLSX, JSON).

Their DCAT-AP-NO description is part of the shared catalogue (``health/opendata.py``,
served at ``/open-data/``); the old ``indicators/dcat.jsonld`` redirects there.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from yrkesbro.core.charts import bar_chart, line_chart
from yrkesbro.health import selectors
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
    return line_chart(
        _("Trend per quarter"),
        page.trend_periods,
        series,
        y_range=(0, 1),
        percent=True,
        description=_(
            "Line chart of the shares per quarter. The trend table has the same numbers."
        ),
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
    shown = [(c, v) for c, v in comparison if v is not None]  # the table shows a dash for the rest
    if shown:
        comparison_chart = bar_chart(
            str(compare_row.name) if compare_row else compare,
            [c.name for c, _v in shown],
            [
                (
                    _("Per cent") if is_share else _("Value"),
                    [round(v * 100) if is_share else round(v, 1) for _c, v in shown],
                )
            ],
            description=_(
                "Bar chart of the indicator in every county with a figure, in the table's "
                "order (shares in per cent). The table beside it has the same numbers."
            ),
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
