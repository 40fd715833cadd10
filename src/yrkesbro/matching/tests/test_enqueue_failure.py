"""A write that committed is never answered 500 because its after-commit enqueue failed."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from yrkesbro.matching import tasks as matching_tasks
from yrkesbro.needs.models import Need

from .conftest import Setup
from .test_pages_and_api import client_for


@pytest.mark.django_db(transaction=True)
def test_a_locked_database_after_the_commit_does_not_fail_the_request(
    setup: Setup, monkeypatch
) -> None:
    class Locked:
        def enqueue(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise OperationalError("database is locked")

    monkeypatch.setattr(matching_tasks, "refresh_need", Locked())
    before = Need.objects.get(pk=setup.need.pk).updated_at
    response = client_for(setup.world.a.editor).patch(
        f"/api/v1/needs/{setup.need.pk}", {"people": 7}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    need = Need.objects.get(pk=setup.need.pk)
    assert need.people == 7 and need.updated_at > before
    monkeypatch.undo()
    # The daily sweep's catch-up recomputes the need whose refresh was lost.
    assert matching_tasks.refresh_stale.call() >= 1
