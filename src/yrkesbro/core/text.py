"""Small text helpers shared by search and import code."""

from __future__ import annotations

import unicodedata


def clean_query(text: str, max_length: int = 200) -> str:
    """A search query without control characters (PostgreSQL refuses NUL), trimmed.

    Whitespace runs become one space; the result is cut at ``max_length``.
    """
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in str(text)
        if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    return " ".join(kept.split())[:max_length]
