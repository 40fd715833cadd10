from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from yrkesbro.core.assets import missing_assets
from yrkesbro.env import env_int, env_str


class Command(BaseCommand):
    help = "Serve Yrkesbro with gunicorn, configured by the environment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=env_str("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=env_int("WEB_CONCURRENCY", 2))
        parser.add_argument("--migrate", action="store_true", help="Apply migrations first.")

    def handle(self, *args: Any, bind: str, workers: int, migrate: bool, **options: Any) -> None:
        # Settings were validated on import: production without SECRET_KEY never gets here.
        problem = missing_assets()
        if problem:
            self.stderr.write(problem)
            sys.exit(2)
        if migrate:
            call_command("migrate", interactive=False)
        sys.stdout.flush()
        os.execvp(  # noqa: S606 - replaces this process with gunicorn, arguments are ours
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "yrkesbro.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--no-control-socket",
                "--access-logfile",
                "-",
                "--logger-class",
                "yrkesbro.core.access_log.MaskingLogger",
            ],
        )
