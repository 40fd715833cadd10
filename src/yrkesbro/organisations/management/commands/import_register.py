from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yrkesbro.organisations import register, services


class Command(BaseCommand):
    help = "Import a newer register of counties and municipalities (CSV in the shipped columns)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file, import nothing."
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            parsed = register.parse_register(register.decode(file.read_bytes()))
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for error in parsed.errors:
            self.stderr.write(str(error))
        if parsed.errors:
            raise CommandError(f"{len(parsed.errors)} errors; nothing was imported.")
        if dry_run:
            self.stdout.write(
                f"OK: {len(parsed.rows)} municipalities in {len(parsed.counties)} counties. "
                "Nothing imported (dry run)."
            )
            return
        report = services.register_import(actor=None, parsed=parsed)
        self.stdout.write(
            f"Counties: {report.counties_created} new, {report.counties_updated} changed. "
            f"Municipalities: {report.municipalities_created} new, "
            f"{report.municipalities_updated} changed, {len(report.deactivated)} deactivated. "
            f"Unchanged: {report.unchanged}."
        )
