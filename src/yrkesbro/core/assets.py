"""Are the collected front-end assets there? Checked before serving, never rebuilt there.

Static files are collected and compressed once at install time (``make setup``
into the package, which a wheel then carries). Serving without them would
answer 500 on every page, so ``serve`` and ``demo`` refuse with one line
saying what to run instead.
"""

from __future__ import annotations

from django.conf import settings

INSTRUCTION = (
    "The front-end assets are missing ({where}): run `make setup` in the source tree "
    "(or `yrkesbro collectstatic --noinput` with STATIC_ROOT set), or install a wheel built by "
    "`make wheel`."
)


def missing_assets() -> str | None:
    """A one-line instruction when the collected assets are missing, else None."""
    if getattr(settings, "WHITENOISE_USE_FINDERS", False):
        return None  # served straight from the app folders (development, tests)
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists():
        return None
    return INSTRUCTION.format(where=manifest)
