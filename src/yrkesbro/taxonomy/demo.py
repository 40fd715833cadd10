"""Demo data for the taxonomy app, loaded by `yrkesbro demo` (idempotent).

The taxonomy is real reference data, not demo data: make sure it is loaded
(nynorsk names and synonyms included) so the needs demo can use every area.
"""

from yrkesbro.taxonomy.reference import load_competence_areas


def load() -> None:
    load_competence_areas()
