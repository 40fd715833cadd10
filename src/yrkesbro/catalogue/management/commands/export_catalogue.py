"""``yrkesbro export-catalogue FILE``: the whole catalogue, one row per offering."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yrkesbro.catalogue import importer
from yrkesbro.catalogue.models import Programme


class Command(BaseCommand):
    help = "Export the catalogue to FILE (.csv or .xlsx), one row per offering."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        programmes = Programme.objects.public()
        if file.suffix.lower() == ".xlsx":
            file.write_bytes(importer.export_xlsx(programmes))
        else:
            file.write_bytes(importer.export_csv(programmes))
        self.stdout.write(f"Wrote {file}.")
