"""Demo data for the collaboration app, loaded by `yrkesbro demo` (idempotent)."""


def load() -> None:
    """Nothing yet."""
