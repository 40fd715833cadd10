"""Personal data in taxonomy: who published a version of the competence areas."""

from __future__ import annotations

from yrkesbro.core.personal_data import declare

declare(
    "taxonomy.TaxonomyVersion",
    fields=["actor"],
    purpose="Who published a version of the shared competence areas",
    retention="As long as the version; the person is removed on a deletion request",
    subject="platform administrator",
    person="actor",
)
