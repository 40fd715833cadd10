"""Importing and exporting programmes and offerings as CSV or XLSX in the reference columns.

Parsing and checking come first and list every row error (row, column,
message); only a file without errors is written, in one transaction, so a bad
file imports nothing. Rows are matched on their code (``programme_id`` /
``offering_id``): new codes are created, known ones updated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yrkesbro.catalogue import bulk, services
from yrkesbro.catalogue.models import (
    SCHOOL_KINDS,
    Delivery,
    Field,
    Funding,
    NationalPlan,
    NkrLevel,
    Offering,
    OfferingStatus,
    Pace,
    Programme,
)
from yrkesbro.core import tables
from yrkesbro.core.errors import DomainError
from yrkesbro.core.exports import safe_row
from yrkesbro.core.inputs import check_date
from yrkesbro.core.policies import Actor
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea

PROGRAMME_COLUMNS = (
    "programme_id",
    "school_code",
    "national_plan_code",
    "title",
    "credits",
    "nkr_level",
    "description_nb",
    "outcomes_knowledge_nb",
    "outcomes_skills_nb",
    "outcomes_general_competence_nb",
)
PROGRAMME_OPTIONAL = (
    "field",
    "admission_requirements",
    "nokut_accredited_on",
    "competence_area_codes",
)
#: The programme's own competence areas (beyond its national plan), as codes in one cell.
AREA_CODES_COLUMN = "competence_area_codes"
AREA_CODE_SEPARATORS = re.compile(r"[\s,;]+")
OFFERING_COLUMNS = (
    "offering_id",
    "programme_id",
    "municipality_number",
    "place",
    "delivery",
    "pace",
    "start_date",
    "semesters",
    "seats",
    "funding",
    "price_nok",
)
OFFERING_OPTIONAL = ("end_date", "application_deadline", "status")
MAX_ROWS = 50_000
MAX_BYTES = 50_000_000  # 50,000 programmes with descriptions
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
#: ASCII digits only: no sign, no "6_0", no Arabic-Indic digits, no spaces inside.
WHOLE_NUMBER = re.compile(r"^[0-9]{1,9}$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


#: One problem in a file: row (the header being row 1), column and message.
RowError = tables.TableError


@dataclass
class Parsed:
    kind: str  # "programmes" or "offerings"
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    read_as: str = ""  # how the file was read, e.g. "CSV, Windows-1252, semicolon"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


# --- reading files ---------------------------------------------------------------------


def read_table(data: bytes, filename: str = "") -> tables.Table:
    """CSV (UTF-8 or Windows-1252) or XLSX bytes → a checked table. Raises TableRefused."""
    return tables.read_table(data, filename, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def _check_columns(table: tables.Table, required: tuple[str, ...]) -> list[RowError]:
    missing = [c for c in required if c not in table.header]
    if missing:
        return [
            RowError(
                1,
                "",
                _("Missing columns: %(missing)s. Expected: %(expected)s.")
                % {"missing": ", ".join(missing), "expected": ", ".join(required)},
            )
        ]
    return []


# --- checking rows ---------------------------------------------------------------------


class _Row:
    """Collects the errors of one row while converting its cells."""

    def __init__(self, number: int, raw: dict[str, str], errors: list[RowError]):
        self.number, self.raw, self.errors = number, raw, errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int = 5000) -> str:
        value = self.raw.get(column, "")
        if required and not value:
            self.error(column, _("A value is required."))
        if len(value) > max_length:
            self.error(column, _("At most %(n)s characters.") % {"n": max_length})
        return value

    def integer(self, column: str, low: int, high: int, *, required: bool = True) -> int | None:
        value = self.raw.get(column, "")
        if not value:
            if required:
                self.error(column, _("A value is required."))
            return None
        if not WHOLE_NUMBER.match(value):
            self.error(column, _("“%(value)s” is not a whole number.") % {"value": value[:40]})
            return None
        number = int(value)
        if not low <= number <= high:
            self.error(
                column,
                _("%(value)s is outside %(low)s–%(high)s.")
                % {"value": number, "low": low, "high": high},
            )
            return None
        return number

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.raw.get(column, "")
        if not value:
            if required:
                self.error(column, _("A value is required."))
            return None
        try:
            if not ISO_DATE.match(value):
                raise ValueError(value)
            return check_date(dt.date.fromisoformat(value))
        except ValueError:
            self.error(column, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value[:40]})
        except DomainError as exc:
            self.error(column, str(exc.message))
        return None

    def choice(self, column: str, choices: Any, *, default: str = "") -> str:
        value = self.raw.get(column, "") or default
        if value not in choices.values:
            self.error(
                column,
                _("“%(value)s” is not one of %(choices)s.")
                % {"value": value[:40], "choices": ", ".join(choices.values)},
            )
        return value

    def code(self, column: str) -> str:
        value = self.raw.get(column, "")
        if not CODE.match(value):
            self.error(
                column,
                _("A code of letters, digits, - _ or . is required (at most 40)."),
            )
        return value


def _parse(
    table: tables.Table,
    kind: str,
    required: tuple[str, ...],
    convert: Callable[[_Row], dict[str, Any]],
    code_column: str,
    progress: Callable[[int], None] | None = None,
) -> Parsed:
    parsed = Parsed(kind=kind, errors=_check_columns(table, required), read_as=table.described)
    if parsed.errors:
        return parsed
    seen: dict[str, int] = {}
    for done, (number, raw) in enumerate(table.rows, start=1):
        if progress and done % 500 == 0:
            progress(done)
        row = _Row(number, raw, parsed.errors)
        before = len(parsed.errors)
        values = convert(row)
        code = raw.get(code_column, "").casefold()  # codes differing only in case are one code
        if code in seen:
            row.error(
                code_column,
                _("The code %(code)s is already used in row %(row)s.")
                % {"code": raw.get(code_column, ""), "row": seen[code]},
            )
        seen.setdefault(code, number)
        if len(parsed.errors) == before:
            parsed.rows.append((number, values))
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(RowError(2, "", _("The file has no rows.")))
    return parsed


def parse_programmes(table: tables.Table, progress: Callable[[int], None] | None = None) -> Parsed:
    schools = {
        o.code.casefold(): o
        for o in Organisation.objects.filter(kind__in=SCHOOL_KINDS).exclude(code="")
    }
    plans = {p.code.casefold(): p for p in NationalPlan.objects.all()}
    areas = {a.code.casefold(): a for a in CompetenceArea.objects.filter(is_active=True)}
    # A file without the column leaves the programmes' own areas as they are.
    has_areas = AREA_CODES_COLUMN in table.header

    def own_areas(row: _Row) -> list[CompetenceArea]:
        codes = [c for c in AREA_CODE_SEPARATORS.split(row.raw.get(AREA_CODES_COLUMN, "")) if c]
        unknown = [c for c in codes if c.casefold() not in areas]
        if unknown:
            row.error(
                AREA_CODES_COLUMN,
                _("Unknown competence area: %(codes)s.") % {"codes": ", ".join(unknown[:5])[:200]},
            )
        found = {areas[c.casefold()].pk: areas[c.casefold()] for c in codes if c not in unknown}
        if len(found) > services.MAX_OWN_AREAS:
            row.error(
                AREA_CODES_COLUMN,
                _("Choose at most %(n)s competence areas.") % {"n": services.MAX_OWN_AREAS},
            )
        return sorted(found.values(), key=lambda a: a.code)

    def convert(row: _Row) -> dict[str, Any]:
        code = row.code("programme_id")
        school_code = row.raw.get("school_code", "")
        school = schools.get(school_code.casefold())
        if not school_code:
            row.error("school_code", _("A value is required."))
        elif school is None:
            row.error("school_code", _("No fagskole or school has this code."))
        plan_code = row.raw.get("national_plan_code", "")
        plan = plans.get(plan_code.casefold()) if plan_code else None
        if plan_code and plan is None:
            row.error("national_plan_code", _("No national plan has this code."))
        credits = row.integer("credits", 30, 120)
        level = row.choice("nkr_level", NkrLevel, default=NkrLevel.L51)
        if credits is not None and level == NkrLevel.L52 and credits < 60:
            row.error("nkr_level", _("Level 5.2 needs at least 60 credits."))
        if credits is not None and level == NkrLevel.L51 and credits > 60:
            row.error("nkr_level", _("Over 60 credits is level 5.2."))
        field_value = row.raw.get("field", "") or (plan.field if plan else "")
        if field_value not in Field.values:
            row.error("field", _("Give the field (health or upbringing) when there is no plan."))
        extra = {services.AREAS_FIELD: own_areas(row)} if has_areas else {}
        return {
            **extra,
            "code": code,
            "school": school,
            "national_plan": plan,
            "title": row.text("title", required=True, max_length=200),
            "field": field_value,
            "credits": credits,
            "nkr_level": level,
            "description": row.text("description_nb"),
            "outcomes_knowledge": row.text("outcomes_knowledge_nb"),
            "outcomes_skills": row.text("outcomes_skills_nb"),
            "outcomes_general_competence": row.text("outcomes_general_competence_nb"),
            "admission_requirements": row.text("admission_requirements"),
            "nokut_accredited_on": row.date("nokut_accredited_on"),
        }

    return _parse(table, "programmes", PROGRAMME_COLUMNS, convert, "programme_id", progress)


def parse_offerings(table: tables.Table, progress: Callable[[int], None] | None = None) -> Parsed:
    programmes = {
        p.code.casefold(): p for p in Programme.objects.exclude(code="").select_related("school")
    }
    municipalities = {
        m.number: m for m in Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True)
    }

    def convert(row: _Row) -> dict[str, Any]:
        code = row.code("offering_id")
        programme_code = row.raw.get("programme_id", "")
        programme = programmes.get(programme_code.casefold())
        if not programme_code:
            row.error("programme_id", _("A value is required."))
        elif programme is None:
            row.error("programme_id", _("No programme has this code; import the programmes first."))
        delivery = row.choice("delivery", Delivery)
        number = row.raw.get("municipality_number", "")
        municipality = municipalities.get(number) if number else None
        if number and municipality is None:
            row.error("municipality_number", _("No municipality has this number."))
        if not number and delivery in (Delivery.CAMPUS, Delivery.BLENDED):
            row.error("municipality_number", _("Campus and blended offerings need a municipality."))
        start = row.date("start_date", required=True)
        end = row.date("end_date")
        deadline = row.date("application_deadline")
        if start and end and end < start:
            row.error("end_date", _("The end date is before the start date."))
        if start and deadline and deadline > start:
            row.error(
                "application_deadline", _("The application deadline is after the start date.")
            )
        return {
            "code": code,
            "programme": programme,
            "municipality": municipality,
            "place": row.text("place", max_length=200),
            "delivery": delivery,
            "pace": row.choice("pace", Pace),
            "start_date": start,
            "end_date": end,
            "semesters": row.integer("semesters", 1, 8),
            "seats": row.integer("seats", 0, 10_000, required=False),
            "funding": row.choice("funding", Funding),
            "price_nok": row.integer("price_nok", 0, 1_000_000, required=False) or 0,
            "application_deadline": deadline,
            "status": row.choice("status", OfferingStatus, default=OfferingStatus.PLANNED),
        }

    return _parse(table, "offerings", OFFERING_COLUMNS, convert, "offering_id", progress)


def parse(
    kind: str,
    data: bytes,
    filename: str = "",
    *,
    rows: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Parsed:
    """Read and check a file of ``kind`` ("programmes" or "offerings").

    ``rows`` is told the number of rows once the file is read, ``progress`` the rows
    checked so far (every 500).
    """
    try:
        table = read_table(data, filename)
    except tables.TableRefused as exc:
        return Parsed(kind=kind, errors=exc.errors)
    if rows:
        rows(len(table.rows))
    if kind == "programmes":
        return parse_programmes(table, progress)
    return parse_offerings(table, progress)


def check_school(parsed: Parsed, school: Organisation) -> None:
    """Add a row error for every row that is not ``school``'s own (a school's web import).

    A programme row must name the school; an offering row a programme of the school; a
    code already used must be the school's own programme or offering, since codes are
    unique across schools. The rows with errors leave ``parsed.rows``.
    """
    if parsed.kind == "programmes":
        owners = dict(Programme.objects.exclude(code="").values_list("code", "school_id"))
    else:
        owners = dict(Offering.objects.exclude(code="").values_list("code", "programme__school_id"))
    owners = {code.casefold(): owner for code, owner in owners.items()}
    kept: list[tuple[int, dict[str, Any]]] = []
    for number, values in parsed.rows:
        before = len(parsed.errors)
        if parsed.kind == "programmes" and values["school"].pk != school.pk:
            parsed.errors.append(
                RowError(
                    number,
                    "school_code",
                    _("This file is for %(school)s; the row names another school.")
                    % {"school": school.name},
                )
            )
        if parsed.kind == "offerings" and values["programme"].school_id != school.pk:
            parsed.errors.append(
                RowError(
                    number,
                    "programme_id",
                    _("The programme belongs to another school than %(school)s.")
                    % {"school": school.name},
                )
            )
        owner = owners.get(values["code"].casefold())
        if owner is not None and owner != school.pk:
            column = "programme_id" if parsed.kind == "programmes" else "offering_id"
            parsed.errors.append(
                RowError(number, column, _("Another school already uses this code."))
            )
        if len(parsed.errors) == before:
            kept.append((number, values))
    parsed.rows = kept
    parsed.errors.sort(key=lambda e: (e.row, e.column))


# --- writing ---------------------------------------------------------------------------


_FOREIGN_KEYS = {"national_plan", "municipality", "school", "programme"}


def _stored(obj: Any, name: str) -> Any:
    """A field's stored value, foreign keys as ids, own areas as codes (no query per row)."""
    if name == services.AREAS_FIELD:
        return sorted(a.code for a in obj.competence_areas.all())  # prefetched
    return getattr(obj, f"{name}_id") if name in _FOREIGN_KEYS else getattr(obj, name)


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(a.code for a in value)
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def apply(
    parsed: Parsed,
    *,
    actor: Actor | None,
    update_existing: bool = True,
    is_demo: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Write checked rows; any refusal rolls the whole file back.

    New rows are written in bulk (``bulk.py``: same checks, one pass for the
    search index); known codes go through the update service, and only when a
    value differs, so re-importing an unchanged export writes nothing at all.
    ``progress`` is called with the number of rows done so far.
    """
    if parsed.errors:
        raise DomainError(_("The file has errors; nothing was imported."))
    report = ImportReport()
    model = Programme if parsed.kind == "programmes" else Offering
    rows = model.objects.exclude(code="")  # type: ignore[attr-defined]
    if parsed.kind == "programmes":
        rows = rows.prefetch_related(services.AREAS_FIELD)
    existing = {obj.code.casefold(): obj for obj in rows}
    creates: list[tuple[int, dict[str, Any]]] = []
    done = 0
    for number, values in parsed.rows:
        values = dict(values)
        current = existing.get(values["code"].casefold())
        if current is None:
            if is_demo:
                values["is_demo"] = True
            creates.append((number, values))
            continue
        done += 1
        if not update_existing:
            continue
        parent = values.pop("school" if parsed.kind == "programmes" else "programme")
        try:
            if parsed.kind == "programmes" and current.school_id != parent.pk:
                raise DomainError(_("This code belongs to a programme of another school."))
            if parsed.kind == "offerings" and current.programme_id != parent.pk:
                raise DomainError(_("This code belongs to an offering of another programme."))
            values["code"] = current.code  # codes differing only in case are the same code
            changed = {k: v for k, v in values.items() if _stored(current, k) != _plain(v)}
            if not changed:
                report.unchanged += 1
                continue
            if parsed.kind == "programmes":
                services.programme_update(actor=actor, programme=current, data=changed)
            else:
                services.offering_update(actor=actor, offering=current, data=changed)
        except DomainError as exc:
            raise DomainError(
                _("Row %(row)s: %(message)s Nothing was imported.")
                % {"row": number, "message": exc.message},
                field=exc.field,
            ) from exc
        report.updated += 1
        if progress and done % 100 == 0:
            progress(done)

    def created(n: int) -> None:
        if progress:
            progress(done + n)

    if parsed.kind == "programmes":
        report.created = len(
            bulk.programme_bulk_create(actor=actor, rows=creates, progress=created)
        )
    else:
        report.created = len(bulk.offering_bulk_create(actor=actor, rows=creates, progress=created))
    if progress:
        progress(len(parsed.rows))
    return report


# --- exporting -------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "programme_id",
    "school_code",
    "school",
    "national_plan_code",
    "title",
    "field",
    "credits",
    "nkr_level",
    "offering_id",
    "municipality_number",
    "municipality",
    "county",
    "place",
    "delivery",
    "pace",
    "start_date",
    "semesters",
    "seats",
    "funding",
    "price_nok",
    "application_deadline",
    "status",
    "end_date",
    "competence_area_codes",
)
#: The files the two imports read, column for column: export → import changes nothing.
PROGRAMME_EXPORT_COLUMNS = (*PROGRAMME_COLUMNS, *PROGRAMME_OPTIONAL)
OFFERING_EXPORT_COLUMNS = (*OFFERING_COLUMNS, *OFFERING_OPTIONAL)


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def export_programme_rows(programmes: Any) -> list[list[Any]]:
    """One row per programme in the programme import's columns."""
    return [
        [
            p.code or f"P{p.pk}",
            p.school.code,
            p.national_plan.code if p.national_plan else "",
            p.title,
            p.credits,
            p.nkr_level,
            p.description,
            p.outcomes_knowledge,
            p.outcomes_skills,
            p.outcomes_general_competence,
            p.field,
            p.admission_requirements,
            _iso(p.nokut_accredited_on),
            _area_codes(p),
        ]
        for p in programmes.select_related("school", "national_plan")
        .prefetch_related(services.AREAS_FIELD)
        .order_by("pk")
    ]


def _area_codes(programme: Programme) -> str:
    """The programme's own competence areas as the import reads them (prefetched)."""
    return " ".join(sorted(a.code for a in programme.competence_areas.all()))


def export_offering_rows(programmes: Any) -> list[list[Any]]:
    """One row per offering of ``programmes`` in the offering import's columns."""
    offerings = (
        Offering.objects.filter(programme__in=programmes)
        .select_related("programme", "municipality")
        .order_by("pk")
    )
    return [
        [
            o.code or f"O{o.pk}",
            o.programme.code or f"P{o.programme_id}",
            o.municipality.number if o.municipality else "",
            o.place,
            o.delivery,
            o.pace,
            _iso(o.start_date),
            o.semesters,
            o.seats if o.seats is not None else "",
            o.funding,
            o.price_nok,
            _iso(o.end_date),
            _iso(o.application_deadline),
            o.status,
        ]
        for o in offerings
    ]


def export_file(kind: str, programmes: Any, fmt: str) -> bytes:
    """``kind`` "catalogue" (one row per offering), "programmes" or "offerings" as CSV or XLSX."""
    header: tuple[str, ...]
    if kind == "programmes":
        header, rows = PROGRAMME_EXPORT_COLUMNS, export_programme_rows(programmes)
    elif kind == "offerings":
        header, rows = OFFERING_EXPORT_COLUMNS, export_offering_rows(programmes)
    else:
        header, rows = EXPORT_COLUMNS, export_rows(programmes)
    return _xlsx(header, rows, kind) if fmt == "xlsx" else _csv(header, rows)


def _csv(header: tuple[str, ...], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(header: tuple[str, ...], rows: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        sheet.append(safe_row(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_rows(programmes: Any) -> list[list[Any]]:
    """One row per offering (programmes without offerings get one row with blanks)."""
    rows: list[list[Any]] = []
    for p in programmes.select_related("school", "national_plan").prefetch_related(
        "offerings__municipality__county", services.AREAS_FIELD
    ):
        base = [
            p.code or f"P{p.pk}",
            p.school.code,
            p.school.name,
            p.national_plan.code if p.national_plan else "",
            p.title,
            p.field,
            p.credits,
            p.nkr_level,
        ]
        offerings = list(p.offerings.all())
        if not offerings:
            rows.append(base + [""] * (len(EXPORT_COLUMNS) - len(base) - 1) + [_area_codes(p)])
        for o in offerings:
            m = o.municipality
            rows.append(
                [
                    *base,
                    o.code or f"O{o.pk}",
                    m.number if m else "",
                    m.name if m else "",
                    m.county.name if m and m.county else "",
                    o.place,
                    o.delivery,
                    o.pace,
                    o.start_date.isoformat(),
                    o.semesters,
                    o.seats if o.seats is not None else "",
                    o.funding,
                    o.price_nok,
                    o.application_deadline.isoformat() if o.application_deadline else "",
                    o.status,
                    _iso(o.end_date),
                    _area_codes(p),
                ]
            )
    return rows


def export_csv(programmes: Any) -> bytes:
    return export_file("catalogue", programmes, "csv")


def export_xlsx(programmes: Any) -> bytes:
    return export_file("catalogue", programmes, "xlsx")
