"""Personal data in the catalogue: who uploaded a catalogue file for import."""

from __future__ import annotations

from yrkesbro.core.personal_data import DELETE, declare

declare(
    "catalogue.CatalogueImport",
    fields=["created_by"],
    purpose="Who uploaded a catalogue file, so that the import is done in that person's name",
    retention="Seven days after the upload, then the upload (file and result) is deleted",
    person="created_by",
    erase=DELETE,
    retention_days=7,
    retention_field="created_at",
    retention_action=DELETE,
)
