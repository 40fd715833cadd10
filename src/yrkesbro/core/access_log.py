"""Gunicorn's access log without secrets: the token in a secret URL is masked.

Calendar feeds (``/collaboration/ical/<token>.ics``), invitation links
(``/invitations/<token>/``) and password-reset links
(``/password-reset/<uid>/<token>/``) carry their secret in the path; anyone who
reads the log could use it. ``serve`` and ``demo`` start gunicorn with
``--logger-class yrkesbro.core.access_log.MaskingLogger``.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

MASK = "***"
SECRET_PATHS = [
    re.compile(r"(/ical/)[^/?#\s]+(\.ics)"),
    re.compile(r"(/invitations/)[^/?#\s]+(/)"),
    re.compile(r"(/password-reset/)(?!sent/|done/)[^/?#\s]+/[^/?#\s]+(/)"),
]


def mask(text: str) -> str:
    """``text`` with the secret part of every secret path replaced by ``***``."""
    for pattern in SECRET_PATHS:
        text = pattern.sub(lambda m: f"{m.group(1)}{MASK}{m.group(2)}", text)
    return text


class MaskingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        # Every atom: the request line, path, referrer and the environ copies of them.
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask(v) if isinstance(v, str) else v for k, v in atoms.items()}
