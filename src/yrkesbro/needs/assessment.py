"""The needs assessment helper: staff, qualifications and targets per unit → proposed needs.

The guided form and the spreadsheet import (CSV or XLSX) both end in
``assessment_apply``, which creates one draft need per competence area with a
gap. An import is checked row by row first; with any error nothing is imported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesbro.core import tables
from yrkesbro.core.errors import DomainError
from yrkesbro.core.inputs import check_date
from yrkesbro.core.policies import Actor
from yrkesbro.needs import services
from yrkesbro.needs.models import MAX_PEOPLE, Need, ServiceArea, Urgency, Visibility
from yrkesbro.organisations.models import Organisation
from yrkesbro.taxonomy.models import CompetenceArea

COLUMNS = ("unit", "service_area", "staff", "area", "qualified", "target", "deadline", "urgency")
MAX_ROWS = 2000
WHOLE_NUMBER = re.compile(r"^[0-9]{1,9}$")


@dataclass
class AreaTarget:
    code: str
    qualified: int
    target: int

    @property
    def gap(self) -> int:
        return max(self.target - self.qualified, 0)


@dataclass
class UnitAssessment:
    unit: str
    service_area: str
    staff: int
    deadline: dt.date
    urgency: str = Urgency.MEDIUM
    targets: list[AreaTarget] = field(default_factory=list)


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedImport:
    units: list[UnitAssessment] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    read_as: str = ""  # how the file was read, e.g. "CSV, Windows-1252, semicolon"


def check_unit(assessment: UnitAssessment) -> None:
    """Numbers must add up: nobody can be counted twice, and targets fit the staff."""
    if not 1 <= assessment.staff <= MAX_PEOPLE:
        raise DomainError(
            _("The number of staff must be from 1 to %(max)s.") % {"max": MAX_PEOPLE},
            field="staff",
        )
    for t in assessment.targets:
        if t.qualified < 0 or t.target < 0:
            raise DomainError(_("Numbers cannot be negative."), field=f"qualified_{t.code}")
        if t.qualified > assessment.staff or t.target > assessment.staff:
            raise DomainError(
                _("More than the unit's %(staff)s staff.") % {"staff": assessment.staff},
                field=f"target_{t.code}",
            )


@transaction.atomic
def assessment_apply(
    *, actor: Actor, organisation: Organisation, units: list[UnitAssessment]
) -> list[Need]:
    """Create a private draft need for every area where the target exceeds today's count."""
    created: list[Need] = []
    for unit in units:
        check_unit(unit)
        for t in unit.targets:
            if t.gap <= 0:
                continue
            description = _(
                "Proposed by the needs assessment: %(qualified)s of %(staff)s staff hold this "
                "competence today; the target is %(target)s."
            ) % {"qualified": t.qualified, "staff": unit.staff, "target": t.target}
            created.append(
                services.need_create(
                    actor=actor,
                    organisation=organisation,
                    area_codes=[t.code],
                    data={
                        "unit": unit.unit,
                        "service_area": unit.service_area,
                        "people": t.gap,
                        "deadline": unit.deadline,
                        "urgency": unit.urgency,
                        "description": description,
                        "visibility": Visibility.PRIVATE,
                    },
                )
            )
    return created


# Spreadsheet import ----------------------------------------------------------------


def read_table(content: bytes, filename: str) -> tables.Table:
    """The sheet from CSV (UTF-8 or Windows-1252, comma or semicolon) or XLSX; raises TableRefused."""
    return tables.read_table(content, filename, max_rows=MAX_ROWS)


def _int(value: Any) -> int:
    """A whole number in ASCII digits (no sign, no "6_0", no digits of other scripts)."""
    text = str(value if value is not None else "").strip()
    if not WHOLE_NUMBER.match(text):
        raise ValueError(text)
    return int(text)


def parse_import(content: bytes, filename: str) -> ParsedImport:
    """Check every row; group valid rows into one assessment per unit."""
    result = ParsedImport()
    try:
        table = read_table(content, filename)
    except tables.TableRefused as exc:
        result.errors.extend(RowError(e.row, e.column, e.message) for e in exc.errors)
        return result
    result.read_as = table.described
    header = table.header
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.errors.append(
            RowError(1, ", ".join(missing), _("These columns are missing from the header row."))
        )
        return result
    result.rows = len(table.rows)
    known = set(CompetenceArea.objects.filter(is_active=True).values_list("code", flat=True))
    units: dict[tuple[str, str], UnitAssessment] = {}
    today = timezone.localdate()
    for number, raw in table.rows:
        cells: dict[str, Any] = {name: raw.get(name, "") for name in COLUMNS}
        errors: list[RowError] = []

        def err(column: str, message: str, row: int = number, bucket: list = errors) -> None:
            bucket.append(RowError(row, column, message))

        unit = str(cells["unit"] or "").strip()
        if not unit:
            err("unit", _("Name the unit."))
        elif len(unit) > 200 or "\x00" in unit:
            err("unit", _("The unit name is too long or has characters that are not allowed."))
        service_area = str(cells["service_area"] or "").strip().lower() or ServiceArea.HEALTH
        if service_area not in ServiceArea.values:
            err("service_area", _("Use health, upbringing or other."))
        numbers: dict[str, int] = {}
        for column in ("staff", "qualified", "target"):
            try:
                numbers[column] = _int(cells[column])
            except (TypeError, ValueError):
                err(column, _("Enter a whole number."))
                continue
            if numbers[column] < 0 or numbers[column] > MAX_PEOPLE:
                err(column, _("Enter a number from 0 to %(max)s.") % {"max": MAX_PEOPLE})
        if numbers.get("staff") == 0:
            err("staff", _("The unit must have at least one employee."))
        if "staff" in numbers:
            for column in ("qualified", "target"):
                if numbers.get(column, 0) > numbers["staff"]:
                    err(column, _("More than the unit's staff."))
        code = str(cells["area"] or "").strip().lower()
        if code not in known:
            err("area", _("Unknown competence area: %(codes)s.") % {"codes": code[:40]})
        deadline_raw = cells["deadline"]
        deadline: dt.date | None = None
        if isinstance(deadline_raw, dt.datetime):
            deadline = deadline_raw.date()
        elif isinstance(deadline_raw, dt.date):
            deadline = deadline_raw
        else:
            try:
                deadline = check_date(dt.date.fromisoformat(str(deadline_raw or "").strip()))
            except ValueError:
                err("deadline", _("Write the date as YYYY-MM-DD."))
            except DomainError as exc:
                err("deadline", str(exc.message))
        if deadline is not None and deadline < today:
            err("deadline", _("The deadline cannot be in the past."))
        urgency = str(cells["urgency"] or "").strip().lower() or Urgency.MEDIUM
        if urgency not in Urgency.values:
            err("urgency", _("Use low, medium or high."))
        key = (unit, service_area)
        existing = units.get(key)
        if existing is not None and not errors and numbers["staff"] != existing.staff:
            err("staff", _("The same unit has a different staff count on an earlier row."))
        if errors:
            result.errors.extend(errors)
            continue
        assert deadline is not None
        if existing is None:
            existing = units[key] = UnitAssessment(
                unit=unit,
                service_area=service_area,
                staff=numbers["staff"],
                deadline=deadline,
                urgency=urgency,
            )
        existing.targets.append(AreaTarget(code, numbers["qualified"], numbers["target"]))
    result.units = list(units.values())
    return result


def template_csv() -> str:
    """An example file to start from."""
    next_year = timezone.localdate().year + 1
    lines = [
        ",".join(COLUMNS),
        f"Hjemmetjenesten,health,40,demens,8,20,{next_year}-06-30,high",
        f"Hjemmetjenesten,health,40,velferdsteknologi,5,15,{next_year}-06-30,medium",
        f"Solsikken barnehage,upbringing,18,flerkulturell,2,6,{next_year}-12-31,medium",
    ]
    return "\n".join(lines) + "\n"
