"""Distances between the register's municipality points, computed once per register.

Reach (gaps, a school's demand) compares a need's place with an offering's or a school's
place. Both are taken at their municipality's point (an organisation's own municipality; a
municipality is its own), so every distance the platform needs is one of the 357 × 357
pairs of the register. They are stored in ``MunicipalityDistance`` when the register is
imported, and filled in here if municipalities were added another way (tests, the admin).
Pages join the table in SQL; the worker reads it once per process and register version.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, Max

from yrkesbro.core.geo import haversine_km
from yrkesbro.organisations.models import Kind, MunicipalityDistance, Organisation

Matrix = dict[int, dict[int, float]]

_cache: tuple[tuple[int | None, int], Matrix] | None = None


def _points() -> dict[int, tuple[float, float]]:
    return {
        pk: (lat, lon)
        for pk, lat, lon in Organisation.objects.filter(
            kind=Kind.MUNICIPALITY, latitude__isnull=False, longitude__isnull=False
        ).values_list("pk", "latitude", "longitude")
    }


def direct(points: dict[int, tuple[float, float]] | None = None) -> Matrix:
    """Every pair computed now (the definition the table holds)."""
    points = _points() if points is None else points
    return {
        a: {b: haversine_km(pa[0], pa[1], pb[0], pb[1]) for b, pb in points.items()}
        for a, pa in points.items()
    }


@transaction.atomic
def rebuild() -> int:
    """Replace the table with every pair of the current register; returns the rows written.
    Safe to run twice (the second run writes the same figures)."""
    global _cache
    matrix = direct()
    MunicipalityDistance.objects.all().delete()
    # 127,449 rows of three numbers, written without a model instance per row (building
    # those made bulk_create ~3 s of every register import, and of every test loading the
    # register): PostgreSQL takes three arrays in one statement, SQLite an executemany.
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in ("origin_id", "target_id", "km"))
    table = f"{quote(MunicipalityDistance._meta.db_table)} ({names})"
    rows = [(a, b, km) for a, row in matrix.items() for b, km in row.items()]
    if rows:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    # The table's name comes from the model's meta; both are quoted.
                    f"INSERT INTO {table} SELECT * FROM unnest(%s::bigint[], %s::bigint[], "  # noqa: S608
                    "%s::double precision[])",
                    [list(column) for column in zip(*rows, strict=True)],
                )
            else:
                sql = f"INSERT INTO {table} VALUES (%s, %s, %s)"  # noqa: S608
                for start in range(0, len(rows), 5000):
                    cursor.executemany(sql, rows[start : start + 5000])
    _cache = None
    return len(rows)


def ensure(origin: int | None = None) -> None:
    """Rebuild when the table does not cover every municipality point (of ``origin``'s row,
    or of the whole register): after municipalities were created outside an import."""
    points = Organisation.objects.filter(
        kind=Kind.MUNICIPALITY, latitude__isnull=False, longitude__isnull=False
    )
    if origin is not None:
        if not points.filter(pk=origin).exists():
            return
        stored = MunicipalityDistance.objects.filter(origin_id=origin).count()
        if stored != points.count():
            rebuild()
        return
    n = points.count()
    if MunicipalityDistance.objects.count() != n * n:
        rebuild()


def matrix() -> Matrix:
    """The whole table as {origin: {target: km}}, read once per process and register
    version (one cheap query to check the version); for the worker's recomputations."""
    global _cache
    ensure()
    version = MunicipalityDistance.objects.aggregate(at=Max("pk"), n=Count("pk"))
    key = (version["at"], version["n"])
    if _cache is not None and _cache[0] == key:
        return _cache[1]
    table: Matrix = {}
    for a, b, km in MunicipalityDistance.objects.values_list("origin_id", "target_id", "km"):
        table.setdefault(a, {})[b] = km
    _cache = (key, table)
    return table


def place_of(kind: str, pk: int, municipality_id: int | None) -> int | None:
    """The municipality whose point stands for an organisation's place."""
    return pk if kind == Kind.MUNICIPALITY else municipality_id
