"""Personal data in taxonomy: who published a version of the competence areas."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.personal_data import declare

declare(
    "taxonomy.TaxonomyVersion",
    fields=["actor"],
    purpose=_("Who published a version of the shared competence areas"),
    retention=_("As long as the version; the person is removed on a deletion request"),
    subject=_("platform administrator"),
    person="actor",
)
