"""Downloads of the partnerships and of the meetings with their actions (CSV or XLSX)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from yrkesbro.collaboration import exports
from yrkesbro.core.exports import spreadsheet_response


@login_required
def partnership_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    qs = exports.partnerships(request.user)
    return spreadsheet_response(
        request,
        fmt,
        "partnerships",
        exports.PARTNERSHIP_HEADER,
        exports.partnership_rows(qs),
        count_of=qs,
    )


@login_required
def meeting_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    qs = exports.meetings(request.user)
    return spreadsheet_response(
        request, fmt, "meetings", exports.MEETING_HEADER, exports.meeting_rows(qs), count_of=qs
    )
