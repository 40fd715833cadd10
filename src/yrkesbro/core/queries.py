"""Query shapes that keep a page's cost to its own rows, shared by the apps' selectors.

- ``any_of(a, b, ...)``: one sub-query of the ids any of several ways in gives. Visibility
  has several ways in (own rows, shared rows, the county's); ``pk IN (a UNION ALL b)``
  lets each way read its own index, on SQLite and PostgreSQL alike, where ``a OR b`` over
  sub-queries or joins makes the database test every row of the table.
- ``count_per_row(related, field)``: the number of related rows per outer row, as a
  correlated sub-query for ``annotate``: a page of rows counts only its own, where a
  grouped join (``Count("relation")``) would group every row before the page is cut and
  turn the list's own count into a count over that grouping.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def any_of(*subqueries: models.QuerySet) -> models.QuerySet:
    """``subqueries`` (each a one-column ``values``) united, for ``pk__in=``."""
    first, *rest = (q.order_by() for q in subqueries)
    return first.union(*rest, all=True)


def count_per_row(related: models.QuerySet, field: str) -> Coalesce:
    """How many of ``related`` have ``field`` equal to the outer row's primary key."""
    rows = (
        related.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)
