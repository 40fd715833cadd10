from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from yrkesbro.core.assets import missing_assets
from yrkesbro.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create or upgrade the demo database, load reference and demo data, and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Prepare the data, then exit.")

    def handle(self, *args: Any, port: int, no_serve: bool, **options: Any) -> None:
        if settings.PRODUCTION:
            self.stderr.write("Refusing to load demo data with YRKESBRO_MODE=production.")
            sys.exit(2)
        problem = missing_assets()
        if problem:
            self.stderr.write(problem)
            sys.exit(2)
        self.stdout.write(f"Database: {settings.DATABASES['default']['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading reference and demo data…")
        users = load_demo()
        call_command("compile_translations", verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"\nDemo users (password for all: {DEMO_PASSWORD}):"))
        self.stdout.write(f"  {'demo-admin':<16} Platform administrator")
        for user in users:
            self.stdout.write(f"  {user.username:<16} {user.who}")
        if no_serve:
            return
        self.stdout.write(
            self.style.SUCCESS(f"\nServing on http://127.0.0.1:{port}/  (Ctrl+C stops)")
        )
        sys.stdout.flush()
        # Links in demo e-mails point at the port the demo really serves on, unless the
        # operator chose a SITE_URL (settings read it again in the gunicorn process).
        os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
        os.execvp(  # noqa: S606 - replaces this process with gunicorn, arguments are ours
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "yrkesbro.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--no-control-socket",
                "--access-logfile",
                "-",
                "--logger-class",
                "yrkesbro.core.access_log.MaskingLogger",
            ],
        )
