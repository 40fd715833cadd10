"""The regional view: published needs aggregated by competence area, and its open data."""

from __future__ import annotations

import csv
import io
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yrkesbro.core.exports import safe_cell
from yrkesbro.needs import charts, selectors
from yrkesbro.needs.forms import RegionForm
from yrkesbro.needs.models import Urgency
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import TaxonomyVersion


def _county(request: HttpRequest) -> Organisation | None:
    number = request.GET.get("county", "")
    if not number:
        return None
    county = Organisation.objects.filter(kind=Kind.COUNTY, number=number).first()
    if county is None:
        raise Http404
    return county


def regional_view(request: HttpRequest) -> HttpResponse:
    """Open to everyone: aggregates only, never single needs or organisations' details."""
    counties = list(selectors.counties())
    form = RegionForm(request.GET or None, counties=counties)
    county = _county(request)
    aggregate = selectors.regional_aggregate(county=county)
    context = {
        "form": form,
        "aggregate": aggregate,
        "county": county,
        "urgency_chart": charts.urgency_chart(aggregate) if aggregate.needs else "",
        "people_chart": charts.people_chart(aggregate) if aggregate.needs else "",
        "query": f"?county={county.number}" if county else "",
    }
    return render(request, "needs/regional.html", context)


def _rows(aggregate: selectors.Aggregate) -> list[dict[str, object]]:
    return [
        {
            "area": r.code,
            "name": r.name,
            "needs": r.needs,
            "people": r.people,
            "urgency_low": r.low,
            "urgency_medium": r.medium,
            "urgency_high": r.high,
        }
        for r in aggregate.rows
    ]


def regional_csv(request: HttpRequest) -> HttpResponse:
    aggregate = selectors.regional_aggregate(county=_county(request))
    out = io.StringIO()
    fields = ["area", "name", "needs", "people", "urgency_low", "urgency_medium", "urgency_high"]
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in _rows(aggregate))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    region = aggregate.county.number if aggregate.county else "norge"
    response["Content-Disposition"] = f'attachment; filename="needs-{region}.csv"'
    return response


def regional_json(request: HttpRequest) -> HttpResponse:
    aggregate = selectors.regional_aggregate(county=_county(request))
    region: dict[str, str | None] = {"county": None, "name": "Norge"}
    if aggregate.county:
        region = {"county": aggregate.county.number, "name": aggregate.county.name}
    body: dict[str, object] = {
        "region": region,
        "generated": timezone.now().isoformat(timespec="seconds"),
        "refreshed": aggregate.refreshed_at.isoformat(timespec="seconds")
        if aggregate.refreshed_at
        else None,
        "taxonomy_version": TaxonomyVersion.current(),
        "definition": "Published competence needs; a need with several areas counts in each.",
        "totals": {
            "needs": aggregate.needs,
            "people": aggregate.people,
            "organisations": aggregate.organisations,
            **{f"urgency_{u}": aggregate.by_urgency[u] for u in Urgency.values},
        },
        "areas": _rows(aggregate),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
