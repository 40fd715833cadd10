"""Issue 14, finding 8: security headers on every page, and no secrets in the access log."""

from __future__ import annotations

import pytest

from yrkesbro.core.access_log import MaskingLogger, mask

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/collaboration/", "/login/", "/api/v1/openapi.json"])
def test_pages_carry_csp_referrer_and_permissions_policy(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_template_has_inline_scripts_or_handlers():
    """Scripts come from static files only, so the CSP needs no 'unsafe-inline'."""
    import re
    from pathlib import Path

    import yrkesbro

    root = Path(yrkesbro.__file__).parent
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:|hx-on", re.I)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        (
            "GET /collaboration/ical/AbC-123_x.ics HTTP/1.1",
            "GET /collaboration/ical/***.ics HTTP/1.1",
        ),
        ("/invitations/s3cr3t-T0ken/", "/invitations/***/"),
        ("/password-reset/MQ/cbx-1234abcd/", "/password-reset/***/"),
        ("/password-reset/sent/", "/password-reset/sent/"),
        ("/collaboration/partnerships/4/", "/collaboration/partnerships/4/"),
    ],
)
def test_secret_path_segments_are_masked(raw, masked):
    assert mask(raw) == masked


def test_the_gunicorn_logger_masks_the_request_line_and_referrer():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    logger = MaskingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/collaboration/ical/topsecret.ics",
        "PATH_INFO": "/collaboration/ical/topsecret.ics",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://x.example/invitations/other-secret/",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    req = SimpleNamespace(headers=[("REFERER", "https://x.example/invitations/other-secret/")])
    atoms = logger.atoms(resp, req, environ, timedelta(seconds=1))
    text = " ".join(str(v) for v in atoms.values())
    assert "topsecret" not in text and "other-secret" not in text
    assert "/collaboration/ical/***.ics" in atoms["r"]


def test_serve_starts_gunicorn_with_the_masking_logger():
    from pathlib import Path

    import yrkesbro.core.management.commands.serve as serve

    assert "yrkesbro.core.access_log.MaskingLogger" in Path(serve.__file__).read_text()
