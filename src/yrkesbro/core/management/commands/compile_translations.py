"""Compile the .po catalogues to .mo with Babel, so no gettext tools are needed to run."""

from __future__ import annotations

from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile Yrkesbro's translation catalogues (.po → .mo) where they are out of date."

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in sorted(settings.PACKAGE_DIR.glob("**/locale/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            if options["verbosity"]:
                self.stdout.write(f"Compiled {po_path}")
