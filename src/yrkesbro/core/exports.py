"""One sanitiser for every cell the platform writes to a CSV or XLSX file.

A spreadsheet runs a cell as a formula when it starts with ``= + - @`` (or a
tab or carriage return before one, or the full-width forms Excel also reads),
so such a cell gets a leading apostrophe, the guard spreadsheets themselves
use. XLSX (XML 1.0) cannot hold most control characters at all, so they are
removed. ``unguard`` is what the importers call on every cell they read, so
exporting and importing again gives back exactly the text that was stored.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import get_language, gettext

from yrkesbro.core import choices

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
GUARD = "'"
#: Characters XML 1.0 (and so XLSX) cannot hold: C0 controls but tab, LF and CR.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def needs_guard(text: str) -> bool:
    """True if a spreadsheet would read ``text`` as a formula, or it already starts with a guard.

    A text that starts with the guard itself is guarded once more, so that
    ``unguard`` can always remove exactly one apostrophe.
    """
    return bool(text) and (text[0] in FORMULA_STARTS or text[0] == GUARD)


def safe_cell(value: Any) -> Any:
    """A cell value that is safe to write to CSV or XLSX; numbers and dates pass unchanged."""
    if not isinstance(value, str):
        return value
    value = _XML_ILLEGAL.sub("", value)
    return GUARD + value if needs_guard(value) else value


def safe_row(values: Any) -> list[Any]:
    return [safe_cell(v) for v in values]


def unguard(text: str) -> str:
    """The stored text of a cell written by ``safe_cell`` (the inverse, for importers)."""
    if text.startswith(GUARD) and needs_guard(text[1:]):
        return text[1:]
    return text


# --- spreadsheet downloads ---------------------------------------------------------------
#
# Every list page's "Download as CSV / XLSX" goes through ``spreadsheet_response``:
#
# * The header row is translated (the reader's language); the data are not codes but
#   what the page shows (choice labels, names), so a person can read and filter them.
# * Dates are ISO 8601 in the data: ``YYYY-MM-DD`` and, for times, ``YYYY-MM-DD HH:MM``
#   in Norwegian local time (the time the pages show). Spreadsheets read both as dates
#   in every locale, and they sort as text too. In XLSX they are real date cells with the
#   same ISO number format, so a filter or a formula sees a date.
# * Several values in one cell (competence areas, parties) are joined with "; ".
# * Every cell goes through ``safe_cell``; CSV is UTF-8 with a byte order mark (so Excel
#   reads the Norwegian letters) and is streamed, a few hundred rows at a time, so a
#   national list never sits in memory as one string. XLSX is written with openpyxl's
#   write-only mode (rows are not kept as cell objects).

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
LIST_SEPARATOR = "; "
_CHUNK = 500
#: XLSX is built in memory while the reader waits (about 1.5 ms a row at national scale);
#: beyond this many rows the reader is offered the streamed CSV or the filters instead.
XLSX_MAX_ROWS = 5000


class TooManyRows(Exception):
    """More rows than ``XLSX_MAX_ROWS`` for an XLSX file."""


def label(obj: Any, field_name: str) -> str:
    """``obj.get_<field>_display()`` for a download row: "" for no value, the mapping built
    once per field and language (``core.choices``). A code field whose choices live
    elsewhere names them in the model's ``DISPLAY_CHOICES``."""
    field = obj._meta.get_field(field_name)
    named = None
    if not field.flatchoices:
        named = getattr(type(obj), "DISPLAY_CHOICES", {}).get(field_name, ())
    value = getattr(obj, field_name)
    return choices.labels(field, named).get(value, "" if value is None else str(value))


def plain_value(value: Any) -> Any:
    """A value as it goes into a cell: times in local time without zone, booleans as words."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return value  # the common case first: most cells are text or numbers
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, _dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if value is None:
        return ""
    if not isinstance(value, str | int | float | _dt.date):
        return str(value)  # lazy translations, choice labels
    return value


def _csv_text(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def csv_chunks(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], language: str
) -> Iterator[str]:
    """CSV text in chunks of a few hundred rows, built in ``language`` (streamed after the view
    has returned, when the request's language is no longer active)."""
    from django.utils import translation

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    iterator = iter(rows)
    with translation.override(language):
        writer.writerow(safe_row(str(h) for h in header))
    yield "\ufeff" + buffer.getvalue()
    while True:
        buffer.seek(0)
        buffer.truncate()
        with translation.override(language):
            count = 0
            for row in iterator:
                writer.writerow(safe_row(_csv_text(plain_value(v)) for v in row))
                count += 1
                if count == _CHUNK:
                    break
        if count:
            yield buffer.getvalue()
        if count < _CHUNK:
            return


def xlsx_bytes(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    title: str,
    max_rows: int | None = None,
) -> bytes:
    """An XLSX workbook of one sheet: the header row, then ``rows`` (dates as date cells).
    Raises ``TooManyRows`` after ``max_rows`` rows, when given."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    if max_rows is not None:
        # Read up to one row past the limit before any cell is written: a list too long for
        # XLSX is refused without first spending seconds writing 5,000 rows into a workbook.
        rows = list(itertools.islice(rows, max_rows + 1))
        if len(rows) > max_rows:
            raise TooManyRows
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(safe_row(str(h) for h in header))
    for row in rows:
        cells: list[Any] = []
        for raw in row:
            value = safe_cell(plain_value(raw))
            if isinstance(value, _dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                is_time = isinstance(value, _dt.datetime)
                cell.number_format = "yyyy-mm-dd hh:mm" if is_time else "yyyy-mm-dd"
                value = cell
            cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def spreadsheet_response(
    request: HttpRequest,
    fmt: str,
    name: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    count_of: Any = None,
) -> HttpResponseBase:
    """A download of ``rows`` under ``header`` as ``yrkesbro-<name>.<fmt>`` (csv or xlsx).

    ``rows`` may be a generator over a queryset's ``iterator()``: CSV streams it.
    An unknown format answers 404. An XLSX of more than ``XLSX_MAX_ROWS`` rows answers a
    page that offers the CSV of the same list (same filters) instead; ``count_of``, the
    query set the rows come from (at least one row each), lets that be decided by one
    COUNT before any row is built.
    """
    from django.http import Http404, HttpResponse, StreamingHttpResponse
    from django.shortcuts import render

    if fmt not in FORMATS:
        raise Http404
    response: HttpResponseBase
    if fmt == "xlsx":
        try:
            if count_of is not None and count_of.count() > XLSX_MAX_ROWS:
                raise TooManyRows
            data = xlsx_bytes(header, rows, name, max_rows=XLSX_MAX_ROWS)
        except TooManyRows:
            query = request.META.get("QUERY_STRING", "")
            csv_url = request.path.removesuffix(".xlsx") + ".csv" + (f"?{query}" if query else "")
            return render(
                request,
                "core/export_too_large.html",
                {"limit": XLSX_MAX_ROWS, "csv_url": csv_url},
            )
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    else:
        response = StreamingHttpResponse(
            csv_chunks(header, rows, get_language() or "nb"),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="yrkesbro-{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
