"""The trades register: reading a CSV or XLSX file in the columns of ``data/trades.csv``.

Parsing is kept apart from writing so that a check (or ``--dry-run``) lists every row
error before anything is stored; ``services.trades_import`` writes a clean file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from yrkesbro.core.inputs import has_control_characters

TRADES_FILE = Path(__file__).parent / "data" / "trades.csv"
COLUMNS = ("code", "name_nb", "programme_code", "programme_name_nb")
PROGRAMMES = ("BA", "DT", "EL", "FD", "HS", "IM", "NA", "RM", "SR", "TP")
CODE = re.compile(r"^[A-Z]{5}[34]-{4}$")
MAX_ROWS = 2000


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line in the file, the header being line 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "–",
            "message": self.message,
        }


@dataclass(frozen=True)
class TradeRow:
    code: str
    name: str
    programme_code: str
    programme_name: str


@dataclass
class ParsedTrades:
    rows: list[TradeRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """The file's cells as text rows; XLSX by its name, otherwise UTF-8 CSV."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValueError(_("The file is not a readable XLSX workbook.")) from exc
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):  # type: ignore[union-attr]
            rows.append(["" if v is None else str(v) for v in values])
            if len(rows) > MAX_ROWS + 2:
                break
        return rows
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _("The file is not UTF-8 text (byte %(pos)s). Save it as CSV UTF-8 and try again.")
            % {"pos": exc.start + 1}
        ) from exc
    return list(csv.reader(io.StringIO(text)))


def parse_trades(table: list[list[str]]) -> ParsedTrades:
    result = ParsedTrades()
    if not table:
        result.errors.append(RowError(1, "", _("The file has no rows.")))
        return result
    header = [cell.strip() for cell in table[0]]
    missing = [col for col in COLUMNS if col not in header]
    if missing:
        result.errors.append(
            RowError(
                1,
                ", ".join(missing),
                _("Missing columns. Expected: %(cols)s.") % {"cols": ", ".join(COLUMNS)},
            )
        )
        return result
    index = {col: header.index(col) for col in COLUMNS}
    seen: dict[str, int] = {}
    programme_names: dict[str, str] = {}
    for line, cells in enumerate(table[1:], start=2):
        if line > MAX_ROWS + 1:
            result.errors.append(RowError(line, "", _("Too many rows; is this the right file?")))
            break
        if not any(cell.strip() for cell in cells):
            continue
        row = {col: (cells[i].strip() if i < len(cells) else "") for col, i in index.items()}
        before = len(result.errors)

        def err(column: str, message: str, line: int = line) -> None:
            result.errors.append(RowError(line, column, message))

        for col, value in row.items():
            if has_control_characters(value) or len(value) > 200:
                err(col, _("Use one line of text of at most 200 characters."))
        code = row["code"].upper()
        if not CODE.match(code):
            err("code", _("Not a trade code like HSHEA3----."))
        elif code in seen:
            err("code", _("Duplicate of row %(row)s.") % {"row": seen[code]})
        else:
            seen[code] = line
        if not row["name_nb"]:
            err("name_nb", _("A name is required."))
        programme = row["programme_code"].upper()
        if programme not in PROGRAMMES:
            err("programme_code", _("Not one of the ten vocational programmes."))
        elif CODE.match(code) and code[:2] != programme:
            err("programme_code", _("The trade code must start with the programme code."))
        name = row["programme_name_nb"]
        if not name:
            err("programme_name_nb", _("A programme name is required."))
        elif programme_names.setdefault(programme, name) != name:
            err("programme_name_nb", _("Another row gives this programme another name."))
        if len(result.errors) == before:
            result.rows.append(TradeRow(code, row["name_nb"], programme, name))
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "", _("The file has no rows.")))
    return result


def parse_file(data: bytes, filename: str) -> ParsedTrades:
    return parse_trades(read_table(data, filename))


def load_trades() -> int:
    """Load the shipped register if no trades exist yet (idempotent). Returns rows added."""
    from yrkesbro.vet.models import Trade

    if Trade.objects.exists():
        return 0
    parsed = parse_file(TRADES_FILE.read_bytes(), TRADES_FILE.name)
    Trade.objects.bulk_create(
        [
            Trade(
                code=r.code,
                name=r.name,
                programme_code=r.programme_code,
                programme_name=r.programme_name,
            )
            for r in parsed.rows
        ],
        ignore_conflicts=True,
    )
    return len(parsed.rows)
