"""The ``yrkesbro`` command: Django's management commands, plus Yrkesbro's own.

``yrkesbro demo``, ``yrkesbro serve``, ``yrkesbro worker``, ``yrkesbro token create USER``,
``yrkesbro seed-scale --factor F`` and every ``manage.py`` command (``migrate``, ...).
Hyphens in the command name are read as underscores.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yrkesbro.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yrkesbro", *argv[1:]])


if __name__ == "__main__":
    main()
