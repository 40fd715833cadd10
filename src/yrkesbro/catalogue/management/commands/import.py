"""``yrkesbro import programmes FILE`` and ``yrkesbro import offerings FILE`` (CSV or XLSX)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yrkesbro.catalogue import importer
from yrkesbro.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import catalogue data from CSV (UTF-8 or Windows-1252, comma or semicolon) or XLSX "
        "in the columns of the shipped "
        "programmes.csv / offerings.csv. Every row error is listed; a file with any error "
        "imports nothing. Import programmes before their offerings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["programmes", "offerings"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file, import nothing."
        )

    def handle(self, *args: Any, kind: str, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        parsed = importer.parse(kind, data, file.name)
        for error in parsed.errors:
            self.stderr.write(str(error))
        if parsed.errors:
            raise CommandError(f"{len(parsed.errors)} errors; nothing was imported.")
        self.stdout.write(f"Read {len(parsed.rows)} {kind} ({parsed.read_as}).")
        if dry_run:
            self.stdout.write(f"OK: {len(parsed.rows)} {kind}. Nothing imported (dry run).")
            return
        bar = ProgressBar(self.stderr, len(parsed.rows))
        try:
            report = importer.apply(parsed, actor=None, progress=bar.update)
        except DomainError as exc:
            bar.close()
            raise CommandError(str(exc)) from exc
        bar.close()
        self.stdout.write(
            f"{kind.capitalize()}: {report.created} new, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )


class ProgressBar:
    """``[#####-----]  12,000 / 50,000`` on one line of stderr, redrawn at most 100 times."""

    WIDTH = 30

    def __init__(self, stream: Any, total: int):
        self.stream, self.total, self.shown = stream, max(total, 1), -1

    def update(self, done: int) -> None:
        percent = min(100, done * 100 // self.total)
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done:>7,} / {self.total:,}", ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.shown >= 0:
            self.stream.write("")
