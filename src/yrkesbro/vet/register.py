"""The trades register: reading a CSV or XLSX file in the columns of ``data/trades.csv``.

Parsing is kept apart from writing so that a check (or ``--dry-run``) lists every row
error before anything is stored; ``services.trades_import`` writes a clean file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from yrkesbro.core import tables
from yrkesbro.core.inputs import has_control_characters

TRADES_FILE = Path(__file__).parent / "data" / "trades.csv"
COLUMNS = ("code", "name_nb", "programme_code", "programme_name_nb")
PROGRAMMES = ("BA", "DT", "EL", "FD", "HS", "IM", "NA", "RM", "SR", "TP")
CODE = re.compile(r"^[A-Z]{5}[34]-{4}$")
MAX_ROWS = 2000
MAX_BYTES = 5_000_000


#: One problem in a file: row (the header being row 1), column and message.
RowError = tables.TableError


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


def read_table(data: bytes, filename: str) -> tables.Table:
    """The file as a checked table (``core.tables``: CSV in UTF-8 or Windows-1252 with any
    delimiter, or XLSX, with bounds); raises ``TableRefused`` with every error."""
    return tables.read_table(data, filename, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def parse_trades(table: tables.Table) -> ParsedTrades:
    result = ParsedTrades()
    missing = [col for col in COLUMNS if col not in table.header]
    if missing:
        result.errors.append(
            RowError(
                1,
                ", ".join(missing),
                _("Missing columns. Expected: %(cols)s.") % {"cols": ", ".join(COLUMNS)},
            )
        )
        return result
    seen: dict[str, int] = {}
    programme_names: dict[str, str] = {}
    for line, cells in table.rows:
        row = {col: cells.get(col, "") for col in COLUMNS}
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
    """Read and check a file; a file that cannot be read at all gives its errors, too."""
    try:
        table = read_table(data, filename)
    except tables.TableRefused as exc:
        return ParsedTrades(errors=list(exc.errors))
    return parse_trades(table)


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
