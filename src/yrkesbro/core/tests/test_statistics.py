"""The daily sweep keeps SQLite's planner statistics, so a list's first page walks an index
instead of sorting every visible row (``core.tasks.update_statistics``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from yrkesbro.core import tasks as core_tasks
from yrkesbro.needs import selectors
from yrkesbro.needs.models import Need, Status, Visibility

pytestmark = pytest.mark.django_db


def _plan(sql: str, params: tuple) -> str:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_needs_list_walks_the_deadline_index_once_sqlite_has_statistics(world) -> None:
    if connection.vendor != "sqlite":
        assert core_tasks.update_statistics() == "left to the database"  # autovacuum's job
        return
    today = dt.date.today()
    Need.objects.bulk_create(
        Need(
            organisation=world.b.org,
            unit=f"Enhet {i}",
            description="Behov",
            people=1,
            deadline=today + dt.timedelta(days=i),
            status=Status.PUBLISHED,
            visibility=Visibility.SHARED,
        )
        for i in range(400)
    )
    page = selectors.need_list(actor=world.a.viewer)[:25]
    sql, params = page.query.sql_with_params()
    assert "TEMP B-TREE FOR ORDER BY" in _plan(sql, params)  # every visible need sorted

    results = core_tasks.daily_sweep.call()

    assert results["yrkesbro.core.tasks.update_statistics"] == "analysed"
    plan = _plan(sql, params)
    assert "TEMP B-TREE FOR ORDER BY" not in plan and "need_deadline_id" in plan, plan
    assert [n.unit for n in page] == [f"Enhet {i}" for i in range(25)]  # same answer
