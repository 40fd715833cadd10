"""Reading the national register of counties and municipalities from a CSV file.

The file has the columns of ``data/municipalities.csv`` (SSB's numbering with
organisation numbers and a point inside each municipality). Parsing is kept
apart from writing so a dry run can show every row error before anything is
stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from yrkesbro.core import tables
from yrkesbro.organisations.validators import normalise_org_number, org_number_is_valid

REGISTER_FILE = Path(__file__).parent / "data" / "municipalities.csv"
COLUMNS = (
    "municipality_number",
    "name",
    "other_official_names",
    "county_number",
    "county_name",
    "organisation_number",
    "latitude",
    "longitude",
)
MAX_ROWS = 2000  # Norway has had at most ~450 municipalities; more rows means a wrong file.
MAX_CELL = 500
#: The share of the active register an import may deactivate without ``allow_shrink``.
SHRINK_LIMIT = 0.1


#: One problem in the file: row (the header being row 1), column and message.
RowError = tables.TableError


@dataclass(frozen=True)
class MunicipalityRow:
    number: str
    name: str
    other_names: str
    county_number: str
    county_name: str
    org_number: str
    latitude: float
    longitude: float


@dataclass
class ParsedRegister:
    rows: list[MunicipalityRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    read_as: str = ""  # how the file was read, e.g. "CSV, Windows-1252, semicolon"

    @property
    def counties(self) -> dict[str, str]:
        return {row.county_number: row.county_name for row in self.rows}


def decode(data: bytes) -> str:
    """The text of a register file: UTF-8 (with or without BOM) or Windows-1252."""
    try:
        return tables.decode(data)[0]
    except tables.TableRefused as exc:
        raise ValueError(str(exc)) from exc


DECIMAL = re.compile(r"^-?[0-9]{1,3}([.,][0-9]{1,12})?$")


def _float_in(raw: str, low: float, high: float) -> float | None:
    """A decimal degree written plainly (no "1_0", "nan", or digits of other scripts)."""
    if not DECIMAL.match(raw):
        return None
    value = float(raw.replace(",", "."))
    return value if low <= value <= high else None


def parse_register(source: str | bytes, filename: str = "") -> ParsedRegister:
    """Check a register file (CSV in any encoding and delimiter ``core.tables`` reads, or XLSX)."""
    result = ParsedRegister()
    data = source.encode("utf-8") if isinstance(source, str) else source
    try:
        table = tables.read_table(data, filename, max_rows=MAX_ROWS, max_cell=MAX_CELL)
    except tables.TableRefused as exc:
        result.errors.extend(exc.errors)
        return result
    result.read_as = table.described
    header = table.header
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
    seen_numbers: dict[str, int] = {}
    seen_org: dict[str, int] = {}
    county_names: dict[str, str] = {}
    for line, raw in table.rows:
        row = {column: raw.get(column, "") for column in COLUMNS}
        errors_before = len(result.errors)

        def err(column: str, message: str, line: int = line) -> None:
            result.errors.append(RowError(line, column, message))

        number = row["municipality_number"]
        if not (len(number) == 4 and number.isascii() and number.isdigit()):
            err("municipality_number", _("Must be four digits, e.g. 0301."))
        elif number in seen_numbers:
            err(
                "municipality_number",
                _("Duplicate of row %(row)s.") % {"row": seen_numbers[number]},
            )
        else:
            seen_numbers[number] = line
        if not row["name"]:
            err("name", _("A name is required."))
        elif len(row["name"]) > 200:
            err("name", _("At most 200 characters."))
        county = row["county_number"]
        if not (len(county) == 2 and county.isascii() and county.isdigit()):
            err("county_number", _("Must be two digits, e.g. 03."))
        elif len(number) == 4 and number[:2] != county:
            err("county_number", _("The municipality number must start with the county number."))
        if len(row["other_official_names"]) > 500:
            err("other_official_names", _("At most 500 characters."))
        if not row["county_name"]:
            err("county_name", _("A county name is required."))
        elif len(row["county_name"]) > 200:
            err("county_name", _("At most 200 characters."))
        elif county in county_names and county_names[county] != row["county_name"]:
            err("county_name", _("Another row gives this county another name."))
        else:
            county_names.setdefault(county, row["county_name"])
        org_number = normalise_org_number(row["organisation_number"])
        if org_number and not org_number_is_valid(org_number):
            err("organisation_number", _("Not a valid organisation number (mod-11 check)."))
        elif org_number and org_number in seen_org:
            err(
                "organisation_number",
                _("Duplicate of row %(row)s.") % {"row": seen_org[org_number]},
            )
        elif org_number:
            seen_org[org_number] = line
        latitude = _float_in(row["latitude"], 57.0, 81.5)
        longitude = _float_in(row["longitude"], 4.0, 32.0)
        if latitude is None:
            err("latitude", _("Must be a decimal degree inside Norway (57–81.5)."))
        if longitude is None:
            err("longitude", _("Must be a decimal degree inside Norway (4–32)."))
        if len(result.errors) == errors_before:
            assert latitude is not None and longitude is not None
            result.rows.append(
                MunicipalityRow(
                    number=number,
                    name=row["name"],
                    other_names=row["other_official_names"],
                    county_number=county,
                    county_name=row["county_name"],
                    org_number=org_number,
                    latitude=latitude,
                    longitude=longitude,
                )
            )
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "", _("The file has no rows.")))
    return result
