"""Demo data for the needs app, loaded by `yrkesbro demo` (idempotent)."""


def load() -> None:
    """Nothing yet."""
