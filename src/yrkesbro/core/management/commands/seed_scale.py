"""``yrkesbro seed-scale --factor F``: national-scale synthetic data for benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yrkesbro.core.scale import SCHOOLS, SEED, USERS, StepResult, seed_scale, synthetic_counts

BAR = 30


class Command(BaseCommand):
    help = (
        f"Add clearly synthetic data for every capability at national scale: factor 1 makes "
        f"{SCHOOLS} schools, {USERS} users, 2,000 programmes, 20,000 needs, 5,000 partnerships "
        f"with 50,000 meetings, 2,000 requests and stored matches, 14,000 enrolments, 20,000 "
        f"placements and 20,000 survey responses. Idempotent for a given factor and seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--factor", type=float, default=1.0, help="Scale (default 1).")
        parser.add_argument("--seed", type=int, default=SEED, help=f"Random seed (default {SEED}).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, factor: float, seed: int = SEED, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Refusing to add synthetic data with YRKESBRO_MODE=production.")
        if factor < 0:
            raise CommandError("The factor must be zero or more.")
        self.stdout.write(f"Seeding synthetic data at factor {factor:g}…")
        started = time.perf_counter()

        def report(result: StepResult) -> None:
            self.stdout.write(
                f"\r  {result.name:<14} {result.created:>7} created  {result.seconds:6.2f} s"
                + " " * 30
            )

        def progress(step: str, done: int, total: int) -> None:
            filled = round(BAR * done / total)
            bar = "#" * filled + "-" * (BAR - filled)
            self.stdout.write(f"\r  {step:<14} [{bar}] {done:>7}/{total}", ending="")
            self.stdout.flush()

        seed_scale(
            factor,
            report=report,
            progress=None if options.get("no_progress") else progress,
            seed=seed,
        )
        totals = ", ".join(f"{n} {name}" for name, n in synthetic_counts().items())
        self.stdout.write(f"Now in the database: {totals}.")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.1f} s."))
