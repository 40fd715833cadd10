"""Bulk writes for the importers: tens of thousands of new programmes or offerings at once.

The same checks as ``services.programme_create`` / ``offering_create`` (the
actor may edit each school, every model rule, the catalogue's own rules), but
the rows are written with ``bulk_create`` in batches, the search index is built
in one pass, and the audit entries are written in bulk. Codes were already
checked for clashes by the importer (against the file and the database), so no
per-row query is needed. Runs inside the importer's transaction: any refusal
rolls the whole file back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from yrkesbro.catalogue import search, services
from yrkesbro.catalogue.models import Offering, Programme
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError
from yrkesbro.core.models import AuditEntry
from yrkesbro.core.policies import Actor

BATCH = 1000
Progress = Callable[[int], None] | None


def _refuse(number: int, exc: DomainError) -> DomainError:
    return DomainError(
        _("Row %(row)s: %(message)s Nothing was imported.")
        % {"row": number, "message": exc.message},
        field=exc.field,
    )


def _audit_entries(
    actor: Actor | None,
    action: str,
    objects: list[Any],
    school_of: Any,
    extra: dict[int, dict[str, Any]] | None = None,
) -> None:
    user = actor if actor is not None and actor.is_authenticated else None
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=user,
                actor_name=user.get_username() if user else "system",
                organisation=school_of(obj),
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                after={**(audit.snapshot(obj) or {}), **(extra or {}).get(obj.pk, {})},
            )
            for obj in objects
        ),
        batch_size=BATCH,
    )


def programme_bulk_create(
    *, actor: Actor | None, rows: list[tuple[int, dict[str, Any]]], progress: Progress = None
) -> list[Programme]:
    """Create programmes from checked import rows (``values`` hold ``school``)."""
    schools = {id(values["school"]): values["school"] for _n, values in rows}
    for school in schools.values():
        services._may_edit(actor, school)
    programmes: list[Programme] = []
    for number, values in rows:
        data = {k: v for k, v in values.items() if k in services.PROGRAMME_FIELDS}
        programme = Programme(school=values["school"], **data)
        try:
            services._check_programme_fields(programme)
        except DomainError as exc:
            raise _refuse(number, exc) from exc
        programmes.append(programme)
    for start in range(0, len(programmes), BATCH):
        Programme.objects.bulk_create(programmes[start : start + BATCH])
        if progress:
            progress(min(start + BATCH, len(programmes)) // 2)
    areas = _set_own_areas(programmes, [values for _n, values in rows])
    _index(programmes, progress)
    _audit_entries(actor, "programme.create", programmes, lambda p: p.school, areas)
    return programmes


def _set_own_areas(
    programmes: list[Programme], values: list[dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """Write the new programmes' own competence areas in bulk; their codes for the audit."""
    through = Programme.competence_areas.through
    links: list[Any] = []
    codes: dict[int, dict[str, Any]] = {}
    for programme, row in zip(programmes, values, strict=True):
        own = row.get(services.AREAS_FIELD) or []
        codes[programme.pk] = {services.AREAS_FIELD: sorted(a.code for a in own)}
        links.extend(through(programme_id=programme.pk, competencearea_id=a.pk) for a in own)
    through.objects.bulk_create(links, batch_size=BATCH)
    return codes


def _index(programmes: list[Programme], progress: Progress) -> None:
    """Build the search postings of new programmes in one pass (plan texts computed once)."""
    areas_text: dict[int, str] = {}
    half = len(programmes) // 2

    def documents() -> Iterator[tuple[int, dict[str, int], int]]:
        for i, programme in enumerate(programmes, start=1):
            plan = programme.national_plan
            if plan is not None and plan.pk not in areas_text:
                areas_text[plan.pk] = search.plan_areas_text(plan)
            tenths, length = search.document_terms(search.document_fields(programme, areas_text))
            programme.search_length = length
            yield programme.pk, tenths, length
            if progress and i % BATCH == 0:
                progress(half + i // 2)

    search.add_postings(documents())
    programme_table = connection.ops.quote_name(Programme._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {programme_table} SET search_length = %s WHERE id = %s",  # noqa: S608
            [(p.search_length, p.pk) for p in programmes],
        )
    # Many programmes at once may move the average length the impacts were stamped with.
    search.refresh_impacts()


def offering_bulk_create(
    *, actor: Actor | None, rows: list[tuple[int, dict[str, Any]]], progress: Progress = None
) -> list[Offering]:
    """Create offerings from checked import rows (``values`` hold ``programme``)."""
    schools = {values["programme"].school_id: values["programme"].school for _n, values in rows}
    for school in schools.values():
        services._may_edit(actor, school)
    offerings: list[Offering] = []
    for number, values in rows:
        data = {k: v for k, v in values.items() if k in services.OFFERING_FIELDS}
        offering = Offering(programme=values["programme"], **data)
        try:
            services._check_offering_fields(offering)
        except DomainError as exc:
            raise _refuse(number, exc) from exc
        offerings.append(offering)
    for start in range(0, len(offerings), BATCH):
        Offering.objects.bulk_create(offerings[start : start + BATCH])
        if progress:
            progress(min(start + BATCH, len(offerings)))
    _audit_entries(actor, "offering.create", offerings, lambda o: o.programme.school)
    return offerings
