from typing import Any

from django.core.management.base import BaseCommand

from yrkesbro.organisations.reference import load_all


class Command(BaseCommand):
    help = (
        "Load the shipped register of counties and municipalities and the fagskoler (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_all()
        r = result["register"]
        self.stdout.write(
            f"Counties: {r.counties_created} new, {r.counties_updated} changed. "  # type: ignore[attr-defined]
            f"Municipalities: {r.municipalities_created} new, {r.municipalities_updated} changed. "  # type: ignore[attr-defined]
            f"Unchanged: {r.unchanged}. Fagskoler new: {result['fagskoler_created']}."  # type: ignore[attr-defined]
        )
