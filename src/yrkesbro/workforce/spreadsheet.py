"""Enrolments as CSV/XLSX: import (all rows or none, with an error per row) and export.

Columns: ``name, email, service_area, unit, programme_id, enrolled_on, status, ended_on,
interruption_reason``. An employee is found by e-mail (or by name when the row has no
e-mail) in the organisation, and created when missing. Every row goes through the same
services as the web form.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yrkesbro.catalogue.models import Programme
from yrkesbro.core.errors import DomainError
from yrkesbro.core.exports import safe_cell, unguard
from yrkesbro.core.inputs import parse_id
from yrkesbro.core.policies import Actor
from yrkesbro.core.tables import TableRefused, read_table
from yrkesbro.organisations.models import Organisation
from yrkesbro.workforce import services
from yrkesbro.workforce.models import Employee, Enrolment, EnrolmentStatus

COLUMNS = (
    "name",
    "email",
    "service_area",
    "unit",
    "programme_id",
    "enrolled_on",
    "status",
    "ended_on",
    "interruption_reason",
)
REQUIRED = ("name", "programme_id", "enrolled_on")


@dataclass
class RowError:
    row: int  # the spreadsheet row number (the header is row 1)
    field: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


class _Rollback(Exception):
    pass


def import_enrolments(
    *, actor: Actor, organisation: Organisation, data: bytes, filename: str = ""
) -> ImportResult:
    """Import every row or none; the result lists each row's first problem."""
    result = ImportResult()
    try:
        table = read_table(data, filename)
    except TableRefused as exc:
        for error in exc.errors:
            result.errors.append(RowError(error.row, error.column, error.message))
        return result
    header = table.header
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.errors.append(
            RowError(1, ",".join(missing), _("Missing columns: %(c)s") % {"c": ", ".join(missing)})
        )
        return result
    try:
        with transaction.atomic():
            for number, raw in table.rows:
                # The export's formula guard comes off again, so a round trip is the identity.
                row = {k: unguard(v) for k, v in raw.items()}
                try:
                    with transaction.atomic():
                        _import_row(actor, organisation, row)
                    result.created += 1
                except DomainError as exc:
                    result.errors.append(RowError(number, exc.field or "", str(exc.message)))
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
    return result


def _import_row(actor: Actor, organisation: Organisation, row: dict[str, str]) -> None:
    programme_id = parse_id(row.get("programme_id", ""))
    programme = Programme.objects.filter(pk=programme_id).first() if programme_id else None
    if programme is None:
        raise DomainError(_("No programme has this id."), field="programme_id")
    name, email = row.get("name", "").strip(), row.get("email", "").strip()
    existing = Employee.objects.filter(organisation=organisation)
    employee = (
        existing.filter(email__iexact=email).first()
        if email
        else existing.filter(full_name=name).first()
    )
    if employee is None:
        employee = services.employee_create(
            actor=actor,
            organisation=organisation,
            data={
                "full_name": name,
                "email": email,
                "service_area": row.get("service_area", ""),
                "unit": row.get("unit", ""),
            },
        )
    enrolment = services.enrolment_create(
        actor=actor,
        organisation=organisation,
        employee=employee,
        programme=programme,
        enrolled_on=row.get("enrolled_on", ""),
    )
    status = row.get("status", "").strip() or EnrolmentStatus.ENROLLED
    if status == EnrolmentStatus.COMPLETED:
        services.enrolment_complete(actor=actor, enrolment=enrolment, ended_on=row.get("ended_on"))
    elif status == EnrolmentStatus.INTERRUPTED:
        services.enrolment_interrupt(
            actor=actor,
            enrolment=enrolment,
            ended_on=row.get("ended_on"),
            reason=row.get("interruption_reason", ""),
        )
    elif status != EnrolmentStatus.ENROLLED:
        raise DomainError(
            _("The status must be enrolled, completed or interrupted."), field="status"
        )


def export_rows(enrolments: Any) -> list[list[Any]]:
    """The rows of ``enrolments_for_export`` (tuples in the order of ``COLUMNS``)."""
    return [
        [
            name,
            email,
            service_area,
            unit,
            programme_id,
            enrolled_on.isoformat(),
            status,
            ended_on.isoformat() if ended_on else "",
            interruption_reason,
        ]
        for (
            name,
            email,
            service_area,
            unit,
            programme_id,
            enrolled_on,
            status,
            ended_on,
            interruption_reason,
        ) in enrolments
    ]


def export_csv(enrolments: Any) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in export_rows(enrolments):
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(enrolments: Any) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "enrolments"  # type: ignore[union-attr]
    sheet.append(list(COLUMNS))  # type: ignore[union-attr]
    for row in export_rows(enrolments):
        sheet.append([safe_cell(v) for v in row])  # type: ignore[union-attr]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def enrolments_for_export(actor: Actor, organisation: Organisation) -> Any:
    """Every enrolment of the employer, oldest first, as tuples of just the exported
    columns (no model objects)."""
    return (
        Enrolment.objects.editable_by(actor)
        .filter(organisation=organisation)
        .order_by("enrolled_on", "id")
        .values_list(
            "employee__full_name",
            "employee__email",
            "employee__service_area",
            "employee__unit",
            "programme_id",
            "enrolled_on",
            "status",
            "ended_on",
            "interruption_reason",
        )
    )
