"""Demo data for the catalogue app, loaded by `yrkesbro demo` (idempotent)."""


def load() -> None:
    """Nothing yet."""
