"""Background work for needs: the regional counts (``regional_tables``)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_regional(county_ids: list[int] | None = None) -> int:
    """Refresh the nation's regional counts and those of ``county_ids`` (all when None)."""
    from yrkesbro.needs import regional_tables

    return regional_tables.refresh(county_ids)


def refresh_all_regional() -> int:
    """The daily sweep's full refresh (needs changed without a service, e.g. in bulk)."""
    from yrkesbro.needs import regional_tables

    return regional_tables.refresh()
