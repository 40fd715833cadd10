from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yrkesbro.vet import register, services


class Command(BaseCommand):
    help = "Import the trades register (lærefag) from a CSV or XLSX file in the shipped columns."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file, import nothing."
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            parsed = register.parse_file(file.read_bytes(), file.name)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for error in parsed.errors:
            self.stderr.write(str(error))
        if parsed.errors:
            raise CommandError(f"{len(parsed.errors)} errors; nothing was imported.")
        if dry_run:
            self.stdout.write(f"OK: {len(parsed.rows)} trades. Nothing imported (dry run).")
            return
        report = services.trades_import(actor=None, parsed=parsed)
        self.stdout.write(
            f"Trades: {report['created']} new, {report['updated']} changed, "
            f"{report['unchanged']} unchanged, {report['deactivated']} deactivated."
        )
