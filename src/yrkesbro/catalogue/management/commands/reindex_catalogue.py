"""``yrkesbro reindex-catalogue``: rebuild every programme's search document."""

from typing import Any

from django.core.management.base import BaseCommand

from yrkesbro.catalogue import search


class Command(BaseCommand):
    help = "Rebuild the catalogue's search index (after changing competence areas or synonyms)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Indexed {search.reindex()} programmes.")
