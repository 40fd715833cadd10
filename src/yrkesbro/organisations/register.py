"""Reading the national register of counties and municipalities from a CSV file.

The file has the columns of ``data/municipalities.csv`` (SSB's numbering with
organisation numbers and a point inside each municipality). Parsing is kept
apart from writing so a dry run can show every row error before anything is
stored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

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


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line number in the file, the header being line 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "–",
            "message": self.message,
        }


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

    @property
    def counties(self) -> dict[str, str]:
        return {row.county_number: row.county_name for row in self.rows}


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _("The file is not UTF-8 text (byte %(pos)s). Save it as CSV UTF-8 and try again.")
            % {"pos": exc.start + 1}
        ) from exc


def _float_in(raw: str, low: float, high: float) -> float | None:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return None
    return value if low <= value <= high else None


def parse_register(text: str) -> ParsedRegister:
    result = ParsedRegister()
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
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
    reader.fieldnames = header
    seen_numbers: dict[str, int] = {}
    seen_org: dict[str, int] = {}
    county_names: dict[str, str] = {}
    for line, raw in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            result.errors.append(RowError(line, "", _("Too many rows; is this the right file?")))
            break
        row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        errors_before = len(result.errors)

        def err(column: str, message: str, line: int = line) -> None:
            result.errors.append(RowError(line, column, message))

        number = row["municipality_number"]
        if not (len(number) == 4 and number.isdigit()):
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
        if not (len(county) == 2 and county.isdigit()):
            err("county_number", _("Must be two digits, e.g. 03."))
        elif len(number) == 4 and number[:2] != county:
            err("county_number", _("The municipality number must start with the county number."))
        if not row["county_name"]:
            err("county_name", _("A county name is required."))
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
