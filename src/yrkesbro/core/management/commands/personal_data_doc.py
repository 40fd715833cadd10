"""Write docs/personal-data.md, the record of processing, from the personal-data registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from yrkesbro.core import personal_data

HEADER = """# Personal data: the record of processing

Generated from the personal-data registry (`core/personal_data.py` and each app's
`personal_data.py`) by `yrkesbro personal_data_doc`; a test fails when this file and
the registry differ. GDPR art. 30: what is kept, about whom, why and for how long.

- **Erasure** is what a carried-out deletion request does to the person's rows:
  *delete* removes them, *anonymise* blanks the listed fields and keeps the row
  (others' records and the counts depend on it), *keep* leaves the row, whose link
  to the person is an account that is itself anonymised, *custom* runs the app's own
  eraser. The account itself becomes an inactive, nameless shell.
- **Retention** periods with a number of days are enforced by the worker task
  `core.tasks.retention_sweep`, which the worker runs daily (safe to run twice).
- "My page" → *My studies and data* exports every row listed here that is linked to
  the person, as JSON.

"""


def render() -> str:
    lines = [HEADER]
    lines.append("| record | fields | subject | purpose | retention | erasure | enforced |")
    lines.append("|---|---|---|---|---|---|---|")
    with translation.override("en"):
        for label in sorted(personal_data.REGISTRY):
            d = personal_data.REGISTRY[label]
            erase = "custom" if d.eraser else d.erase
            enforced = (
                f"{d.retention_action} after {d.retention_days} days ({d.retention_field})"
                if d.retention_days
                else "–"
            )
            lines.append(
                f"| `{d.model}` | {', '.join(d.fields)} | {d.subject} | {d.purpose} "
                f"| {d.retention} | {erase} | {enforced} |"
            )
        notes = [
            (d.model, note)
            for label, d in sorted(personal_data.REGISTRY.items())
            for note in d.notes
        ]
    if notes:
        lines.append("\n## Notes\n")
        lines.extend(f"- `{model}`: {note}" for model, note in notes)
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Write the record of processing (docs/personal-data.md) from the registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="docs/personal-data.md")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        Path(output).write_text(render(), encoding="utf-8")
        self.stdout.write(f"wrote {output}")
