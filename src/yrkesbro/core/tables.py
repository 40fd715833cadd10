"""Reading the spreadsheets people really have: one reader for every importer.

- CSV in UTF-8 with or without a byte-order mark, or Windows-1252 (what Excel in
  Norway saves as "CSV (semikolondelt)"); the encoding found is reported so the
  summary can say it.
- The delimiter (semicolon, comma or tab) is read from the header line alone,
  so commas inside descriptions cannot mislead it.
- XLSX is read in streaming mode with hard bounds: at most ``max_columns``
  columns are looked at, at most ``max_rows`` non-empty rows are accepted (empty
  and styled-but-empty rows do not count), and no more than ``MAX_SCANNED_ROWS``
  rows are scanned at all, so a five-kilobyte file with one cell at XFD2000
  cannot take the memory of the machine.
- Every cell is checked for length and for control characters no database
  stores, and loses the formula guard ``core.exports`` wrote, so an export
  imports back unchanged.

Every problem is a ``TableError`` with a row, a column and a translated message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from yrkesbro.core.exports import unguard

MAX_BYTES = 20_000_000
MAX_ROWS = 50_000
MAX_COLUMNS = 60
MAX_CELL = 10_000
#: Rows an XLSX sheet may have in all, empty ones included (Excel's own limit).
MAX_SCANNED_ROWS = 1_048_576
DELIMITERS = (";", ",", "\t")
#: Control characters refused in a cell (tab, line feed and carriage return pass).
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r") | {"\x7f"}


@dataclass(frozen=True)
class TableError:
    """One problem in a file: ``row`` 1 is the header, 0 the file as a whole."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row <= 0:
            return self.message
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "–",
            "message": self.message,
        }


class TableRefused(ValueError):
    """The file cannot be read as a table at all; ``errors`` say where and why."""

    def __init__(self, errors: list[TableError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Table:
    """The header (stripped, lower-case) and the non-empty rows with their row numbers."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""

    @property
    def described(self) -> str:
        """How the file was read, for the summary (e.g. "CSV, Windows-1252, semicolon")."""
        names = {";": _("semicolon"), ",": _("comma"), "\t": _("tab")}
        if self.encoding == "XLSX":
            return "XLSX"
        return ", ".join(["CSV", self.encoding, names.get(self.delimiter, self.delimiter)])


def read_table(
    data: bytes,
    filename: str = "",
    *,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
    max_cell: int = MAX_CELL,
    max_bytes: int = MAX_BYTES,
) -> Table:
    """Read CSV or XLSX bytes into a ``Table``; raises ``TableRefused`` with every error."""
    if len(data) > max_bytes:
        raise TableRefused(
            [
                TableError(
                    0, "", _("The file is larger than %(n)s MB.") % {"n": max_bytes // 1_000_000}
                )
            ]
        )
    if not data.strip():
        raise TableRefused([TableError(0, "", _("The file is empty."))])
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        lines: Iterator[tuple[int, list[str]]] = _xlsx_lines(data, max_columns)
        encoding, delimiter = "XLSX", ""
    else:
        text, encoding = decode(data)
        delimiter = sniff_delimiter(text)
        lines = _csv_lines(text, delimiter)
    return _collect(lines, encoding, delimiter, max_rows, max_columns, max_cell)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with BOM), UTF-8 or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), _("UTF-8 with BOM")
        except UnicodeDecodeError as exc:
            raise TableRefused([_byte_error(data, exc.start + 3)]) from exc
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise TableRefused([_byte_error(data, exc.start)]) from exc


def _byte_error(data: bytes, position: int) -> TableError:
    row = data.count(b"\n", 0, position) + 1
    return TableError(
        row,
        "",
        _("The file is neither UTF-8 nor Windows-1252 text (byte %(pos)s).")
        % {"pos": position + 1},
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most columns (semicolon on a tie)."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def _csv_lines(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                message = _("A cell is longer than %(n)s characters.") % {
                    "n": csv.field_size_limit()
                }
            else:
                message = _("This row cannot be read as CSV (%(problem)s).") % {"problem": exc}
            raise TableRefused([TableError(number + 1, "", message)]) from exc
        number += 1
        yield number, cells


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_lines(data: bytes, max_columns: int) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableRefused(
            [TableError(0, "", _("The file is not a readable XLSX workbook."))]
        ) from exc
    number = 0
    try:
        sheet = workbook.worksheets[0]
        # max_col bounds the cells read per row, whatever the sheet claims its size is.
        for number, values in enumerate(
            sheet.iter_rows(values_only=True, max_col=max_columns + 1), start=1
        ):
            if number > MAX_SCANNED_ROWS:
                break
            yield number, [_xlsx_cell(v) for v in values]
    except TableRefused:
        raise
    except Exception as exc:  # a truncated or invalid sheet XML fails while streaming
        raise TableRefused(
            [
                TableError(
                    number + 1,
                    "",
                    _("The workbook cannot be read from this row on; save it again and retry."),
                )
            ]
        ) from exc
    finally:
        workbook.close()


def _collect(
    lines: Iterator[tuple[int, list[str]]],
    encoding: str,
    delimiter: str,
    max_rows: int,
    max_columns: int,
    max_cell: int,
) -> Table:
    errors: list[TableError] = []
    table: Table | None = None
    for number, cells in lines:
        if table is None:
            header = [c.strip().lower() for c in cells]
            while header and not header[-1]:
                header.pop()
            if not header:
                continue  # leading empty lines before the header
            if len(header) > max_columns:
                raise TableRefused(
                    [
                        TableError(
                            number,
                            "",
                            _("The file has more than %(n)s columns.") % {"n": max_columns},
                        )
                    ]
                )
            table = Table(header=header, encoding=encoding, delimiter=delimiter)
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(table.rows) >= max_rows:
            raise TableRefused(
                [TableError(number, "", _("The file has more than %(n)s rows.") % {"n": max_rows})]
            )
        row: dict[str, str] = {}
        for index, name in enumerate(table.header):
            value = cells[index].strip() if index < len(cells) else ""
            column = name or str(index + 1)
            if len(value) > max_cell:
                errors.append(
                    TableError(
                        number, column, _("At most %(n)s characters in a cell.") % {"n": max_cell}
                    )
                )
                value = value[:max_cell]
            if any(ch in _CONTROL for ch in value):
                errors.append(TableError(number, column, _("The cell holds control characters.")))
            if name:
                row[name] = unguard(value)
        table.rows.append((number, row))
        if len(errors) > 200:
            break
    if table is None:
        raise TableRefused([TableError(0, "", _("The file is empty."))])
    if errors:
        raise TableRefused(errors)
    return table
