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
        parser.add_argument(
            "--kind",
            choices=["catalogue", "programmes", "offerings"],
            default="catalogue",
            help=(
                "catalogue: one row per offering, to read; programmes / offerings: the "
                "columns of `yrkesbro import`, so the file imports back unchanged."
            ),
        )

    def handle(self, *args: Any, file: Path, kind: str, **options: Any) -> None:
        programmes = Programme.objects.public()
        fmt = "xlsx" if file.suffix.lower() == ".xlsx" else "csv"
        file.write_bytes(importer.export_file(kind, programmes, fmt))
        self.stdout.write(f"Wrote {file}.")
