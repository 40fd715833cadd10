"""Demo data for the taxonomy app, loaded by `yrkesbro demo` (idempotent)."""


def load() -> None:
    """Nothing yet."""
