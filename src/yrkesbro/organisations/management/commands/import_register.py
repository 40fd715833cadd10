from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yrkesbro.core.errors import DomainError
from yrkesbro.organisations import register, services


class Command(BaseCommand):
    help = (
        "Import a newer register of counties and municipalities (CSV in UTF-8 or "
        "Windows-1252, comma or semicolon, or XLSX, in the shipped columns)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and name everything it would change; import nothing.",
        )
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help=(
                f"Allow deactivating more than {register.SHRINK_LIMIT:.0%} of the active "
                "counties and municipalities."
            ),
        )

    def handle(
        self, *args: Any, file: Path, dry_run: bool, allow_shrink: bool, **options: Any
    ) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        parsed = register.parse_register(data, file.name)
        for error in parsed.errors:
            self.stderr.write(str(error))
        if parsed.errors:
            raise CommandError(f"{len(parsed.errors)} errors; nothing was imported.")
        self.stdout.write(f"Read as {parsed.read_as}.")
        try:
            report = services.register_import(
                actor=None, parsed=parsed, dry_run=dry_run, allow_shrink=allow_shrink
            )
        except DomainError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        for label, names in (
            ("New", report.created),
            ("Changed", report.updated),
            ("Municipalities marked inactive", report.deactivated),
            ("Counties marked inactive", report.counties_deactivated),
        ):
            if names:
                self.stdout.write(f"{label} ({len(names)}): {', '.join(names)}")
        self.stdout.write(
            f"Counties: {report.counties_created} new, {report.counties_updated} changed, "
            f"{len(report.counties_deactivated)} deactivated. "
            f"Municipalities: {report.municipalities_created} new, "
            f"{report.municipalities_updated} changed, {len(report.deactivated)} deactivated. "
            f"Unchanged: {report.unchanged}." + (" Nothing imported (dry run)." if dry_run else "")
        )
