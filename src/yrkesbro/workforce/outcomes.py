"""Open data: what the programmes led to, per programme, across all employers.

The figures are ``ProgrammeOutcome`` rows, precomputed by the worker; only
programmes with at least ``THRESHOLD`` completions are published, so no person
can be singled out. One page for people, CSV and JSON for machines.

The two files are the same for every reader and hold every published programme, so
each is built once per version of its data (the number of rows, the last refresh and
the last edit of a programme or school in it: one aggregate query) and kept in the
cache; a download otherwise reads and formats every row.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yrkesbro.core.caching import versioned
from yrkesbro.core.exports import safe_row
from yrkesbro.workforce.models import THRESHOLD
from yrkesbro.workforce.selectors import public_outcomes

FIELDS = [
    "programme_id",
    "programme_code",
    "programme_title",
    "school",
    "completions",
    "completion_rate",
    "share_new_tasks",
    "share_new_job_group",
    "refreshed_at",
]


def rows() -> list[dict[str, Any]]:
    return [
        {
            "programme_id": row.programme_id,
            "programme_code": row.programme.code,
            "programme_title": row.programme.title,
            "school": row.programme.school.name,
            **row.figures(),
            "refreshed_at": row.refreshed_at.isoformat(timespec="seconds"),
        }
        for row in public_outcomes()
    ]


def outcomes(request: HttpRequest) -> HttpResponse:
    page = Paginator(public_outcomes(), 50).get_page(request.GET.get("page"))
    return render(request, "workforce/outcomes.html", {"page": page, "threshold": THRESHOLD})


CACHE_SECONDS = 24 * 3600


def _version() -> str:
    """What the files depend on, in one aggregate over the published rows."""
    row = (
        public_outcomes()
        .order_by()
        .aggregate(
            n=Count("pk"),
            refreshed=Max("refreshed_at"),
            programme_edited=Max("programme__updated_at"),
            school_edited=Max("programme__school__updated_at"),
        )
    )
    return "|".join(str(row[k]) for k in ("n", "refreshed", "programme_edited", "school_edited"))


def _csv_body() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for row in rows():
        writer.writerow(safe_row(row[f] for f in FIELDS))
    return out.getvalue()


def _json_body() -> str:
    body = {
        "generated": timezone.now().isoformat(timespec="seconds"),
        "threshold": THRESHOLD,
        "definition": (
            "Per programme, across all employers: completions recorded; completion_rate = "
            "completed / (completed + interrupted); share_new_tasks and share_new_job_group "
            "of the completions. Only programmes with at least `threshold` completions."
        ),
        "programmes": rows(),
    }
    return json.dumps(body, ensure_ascii=False, indent=1)


def outcomes_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        versioned("workforce:outcomes:csv", _version(), _csv_body, CACHE_SECONDS),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="programme-outcomes.csv"'
    return response


def outcomes_json(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        versioned("workforce:outcomes:json", _version(), _json_body, CACHE_SECONDS),
        content_type="application/json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
