from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yrkesbro.core import backup


class Command(BaseCommand):
    help = (
        "Restore the database from a backup made by `yrkesbro backup`. Refuses to overwrite a "
        "database holding data unless --force. --check only verifies FILE in a scratch database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="Overwrite existing data.")
        parser.add_argument(
            "--check", action="store_true", help="Verify the backup only; change nothing."
        )

    def handle(self, *args: Any, file: Path, force: bool, check: bool, **options: Any) -> None:
        try:
            if check:
                manifest = backup.verify(file)
                self.stdout.write(
                    f"{file}: a {manifest['engine']} backup of {manifest['created_at']}, "
                    f"{sum(manifest['counts'].values())} rows; it restores with the same counts."
                )
                return
            manifest = backup.restore(file, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {sum(manifest['counts'].values())} rows from {file} "
            f"(backup of {manifest['created_at']}). Restart the web and worker processes."
        )
