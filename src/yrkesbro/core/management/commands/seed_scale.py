"""``yrkesbro seed-scale --factor F``: national-scale synthetic data for benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yrkesbro.core.scale import SCHOOLS, USERS, StepResult, seed_scale, synthetic_counts


class Command(BaseCommand):
    help = (
        f"Add clearly synthetic organisations, users, memberships and audit entries at scale: "
        f"factor 1 makes {SCHOOLS} schools and {USERS} users. Idempotent for a given factor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--factor", type=float, default=1.0, help="Scale (default 1).")

    def handle(self, *args: Any, factor: float, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Refusing to add synthetic data with YRKESBRO_MODE=production.")
        if factor < 0:
            raise CommandError("The factor must be zero or more.")
        self.stdout.write(f"Seeding synthetic data at factor {factor:g}…")
        started = time.perf_counter()

        def report(result: StepResult) -> None:
            self.stdout.write(
                f"  {result.name:<14} {result.created:>7} created  {result.seconds:6.2f} s"
            )

        seed_scale(factor, report=report)
        totals = ", ".join(f"{n} {name}" for name, n in synthetic_counts().items())
        self.stdout.write(f"Now in the database: {totals}.")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.1f} s."))
