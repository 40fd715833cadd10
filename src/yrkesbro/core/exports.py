"""One sanitiser for every cell the platform writes to a CSV or XLSX file.

A spreadsheet runs a cell as a formula when it starts with ``= + - @`` (or a
tab or carriage return before one, or the full-width forms Excel also reads),
so such a cell gets a leading apostrophe, the guard spreadsheets themselves
use. XLSX (XML 1.0) cannot hold most control characters at all, so they are
removed. ``unguard`` is what the importers call on every cell they read, so
exporting and importing again gives back exactly the text that was stored.
"""

from __future__ import annotations

import re
from typing import Any

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
GUARD = "'"
#: Characters XML 1.0 (and so XLSX) cannot hold: C0 controls but tab, LF and CR.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def needs_guard(text: str) -> bool:
    """True if a spreadsheet would read ``text`` as a formula, or it already starts with a guard.

    A text that starts with the guard itself is guarded once more, so that
    ``unguard`` can always remove exactly one apostrophe.
    """
    return bool(text) and (text[0] in FORMULA_STARTS or text[0] == GUARD)


def safe_cell(value: Any) -> Any:
    """A cell value that is safe to write to CSV or XLSX; numbers and dates pass unchanged."""
    if not isinstance(value, str):
        return value
    value = _XML_ILLEGAL.sub("", value)
    return GUARD + value if needs_guard(value) else value


def safe_row(values: Any) -> list[Any]:
    return [safe_cell(v) for v in values]


def unguard(text: str) -> str:
    """The stored text of a cell written by ``safe_cell`` (the inverse, for importers)."""
    if text.startswith(GUARD) and needs_guard(text[1:]):
        return text[1:]
    return text
