"""Demo data for the catalogue app, loaded by `yrkesbro demo` (idempotent).

The 75 programmes and 99 offerings of the reference data are demo data at real
fagskoler (loaded from fagskoler.csv): they are marked ``is_demo``. Programmes
and offerings that already exist are left alone, so changes made in the demo
survive a reload.
"""

from __future__ import annotations

from pathlib import Path

from yrkesbro.catalogue import importer, search
from yrkesbro.catalogue.reference import load_national_plans

DATA = Path(__file__).parent / "data"


def load() -> importer.ImportReport:
    load_national_plans()
    report = importer.ImportReport()
    for kind in ("programmes", "offerings"):
        parsed = importer.parse(kind, (DATA / f"{kind}.csv").read_bytes(), f"{kind}.csv")
        done = importer.apply(parsed, actor=None, update_existing=False, is_demo=True)
        report.created += done.created
    search.reindex_if_outdated()
    return report
