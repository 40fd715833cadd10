from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yrkesbro.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (and on SQLite the instance secret) to FILE; safe while the "
        "site serves. --check restores the new backup into a scratch database and compares."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--check", action="store_true", help="Verify the backup after writing it."
        )

    def handle(self, *args: Any, file: Path, check: bool, **options: Any) -> None:
        try:
            manifest = backup.backup(file)
            rows = sum(manifest["counts"].values())
            self.stdout.write(f"Backed up {rows} rows ({manifest['engine']}) to {file}")
            if check:
                backup.verify(file)
                self.stdout.write("Checked: the backup restores with the same row counts.")
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
