"""Supply against demand per trade: the public county and national pages, their open data
(CSV, XLSX, JSON), and the trades register pages."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yrkesbro.core.policies import is_platform_admin
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.vet import charts, register, selectors, services
from yrkesbro.vet.forms import SupplyDemandForm, TradesImportForm

FIELDS = [
    "trade",
    "name",
    "programme",
    "places_offered",
    "pupils_seeking",
    "shortfall",
    "yff_places",
    "yff_pupils",
]


def _county(request: HttpRequest) -> Organisation | None:
    number = request.GET.get("county", "")
    if not number:
        return None
    if not (number.isascii() and number.isdigit() and len(number) <= 4):
        raise Http404
    county = Organisation.objects.filter(kind=Kind.COUNTY, number=number).first()
    if county is None:
        raise Http404
    return county


def _year(request: HttpRequest, years: list[int]) -> int:
    raw = request.GET.get("year", "")
    if raw:
        if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
            raise Http404
        return int(raw)
    current = services.current_school_year()
    return current if current in years or not years else years[0]


def _view(request: HttpRequest) -> tuple[selectors.SupplyDemandView, list[int]]:
    years = selectors.school_years()
    return selectors.supply_demand(
        county=_county(request), school_year=_year(request, years)
    ), years


def supply_demand_page(request: HttpRequest) -> HttpResponse:
    """Open to everyone: aggregates only. County members also see assessment rates."""
    view, years = _view(request)
    counties = list(selectors.counties())
    form = SupplyDemandForm(
        {"county": view.county.number if view.county else "", "year": view.school_year},
        counties=counties,
        years=sorted({*years, view.school_year}, reverse=True),
    )
    query = f"?year={view.school_year}" + (f"&county={view.county.number}" if view.county else "")
    rates = None
    if view.county is not None and selectors.is_county_member(request.user, view.county):
        rates = selectors.county_rates(view.county, view.school_year)
    return render(
        request,
        "vet/supply_demand.html",
        {
            "view": view,
            "form": form,
            "chart": charts.supply_demand_chart(view),
            "query": query,
            "rates": rates,
            "min_rate": selectors.MIN_PLACEMENTS_FOR_RATE,
        },
    )


def rows(view: selectors.SupplyDemandView) -> list[dict[str, Any]]:
    return [
        {
            "trade": r.code,
            "name": r.name,
            "programme": r.programme_code,
            "places_offered": r.places_offered,
            "pupils_seeking": r.pupils_seeking,
            "shortfall": r.shortfall,
            "yff_places": r.yff_places,
            "yff_pupils": r.yff_pupils,
        }
        for r in view.rows
    ]


def _filename(view: selectors.SupplyDemandView, ext: str) -> str:
    region = view.county.number if view.county else "norge"
    return f'attachment; filename="supply-demand-{region}-{view.school_year}.{ext}"'


def supply_demand_csv(request: HttpRequest) -> HttpResponse:
    view, _years = _view(request)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows(view))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename(view, "csv")
    return response


def supply_demand_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    view, _years = _view(request)
    book = Workbook()
    sheet = book.active
    sheet.title = "supply-demand"  # type: ignore[union-attr]
    sheet.append(FIELDS)  # type: ignore[union-attr]
    for row in rows(view):
        sheet.append([row[f] for f in FIELDS])  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _filename(view, "xlsx")
    return response


def supply_demand_json(request: HttpRequest) -> HttpResponse:
    view, _years = _view(request)
    region: dict[str, str | None] = {"county": None, "name": "Norge"}
    if view.county:
        region = {"county": view.county.number, "name": view.county.name}
    body = {
        "region": region,
        "school_year": view.school_year,
        "generated": timezone.now().isoformat(timespec="seconds"),
        "computed_at": view.computed_at.isoformat(timespec="seconds") if view.computed_at else None,
        "definition": (
            "places_offered: apprenticeship places offered by organisations in the region; "
            "pupils_seeking: Vg2 pupils of the region's schools seeking an apprenticeship; "
            "shortfall = pupils_seeking - places_offered (negative: surplus); yff_*: the same "
            "for workplace practice."
        ),
        "totals": view.totals,
        "trades": rows(view),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def trade_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "vet/trades.html",
        {"trades": selectors.trades(), "is_admin": is_platform_admin(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def trades_import(request: HttpRequest) -> HttpResponse:
    """Upload a trades register: check it, list every row error, import only a clean file."""
    if not is_platform_admin(request.user):
        raise Http404
    form = TradesImportForm(request.POST or None, request.FILES or None)
    parsed = report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5_000_000:
            form.add_error("file", _("The file is larger than 5 MB; this is not a trades file."))
        else:
            try:
                parsed = register.parse_file(upload.read(), upload.name)
            except ValueError as exc:
                form.add_error("file", str(exc))
        if parsed is not None and not parsed.errors and form.cleaned_data["apply"]:
            report = services.trades_import(actor=request.user, parsed=parsed)
            messages.success(request, _("The trades register is imported."))
    return render(
        request, "vet/trades_import.html", {"form": form, "parsed": parsed, "report": report}
    )
