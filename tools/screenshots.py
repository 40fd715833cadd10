"""Screenshots of the ten key pages at 390 px (a phone), for docs/screenshots/.

Run against a demo that is serving (``make demo`` in another terminal), with the same
environment, so the page ids are read from the demo's own database:

    .venv/bin/python tools/screenshots.py                      # http://127.0.0.1:8000
    .venv/bin/python tools/screenshots.py --base-url http://127.0.0.1:8765 --width 390

Uses Debian's Chromium (/usr/bin/chromium, or $YRKESBRO_CHROMIUM); downloads nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "yrkesbro-demo"  # noqa: S105 - the public demo password, printed by `yrkesbro demo`


def pages() -> list[tuple[str, str | None, str]]:
    """(file name, demo user or None, path) for the ten key pages."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yrkesbro.settings")
    import django

    django.setup()
    from yrkesbro.core.tests.key_pages import key_pages

    key = key_pages()
    kommune = key["demo-kommune"]
    programme = next(p for p in key[None] if p.startswith("/catalogue/programmes/"))
    need = next(
        p for p in kommune if p.startswith("/needs/") and p.strip("/").split("/")[-1].isdigit()
    )
    county = next(p for p in key["demo-fylke"] if "/counties/" in p)
    return [
        ("01-home", None, "/"),
        ("02-catalogue-search", None, "/catalogue/?q=demens"),
        ("03-programme", None, programme),
        ("04-needs-list", "demo-kommune", "/needs/"),
        ("05-need", "demo-kommune", need),
        (
            "06-matches-for-a-need",
            "demo-kommune",
            next(p for p in kommune if p.startswith("/matching/needs/")),
        ),
        (
            "07-request",
            "demo-kommune",
            next(
                p
                for p in kommune
                if p.startswith("/matching/requests/") and p != "/matching/requests/"
            ),
        ),
        ("08-regional-view", None, "/needs/regional/"),
        ("09-county-network", "demo-fylke", county),
        ("10-agreement", "demo-kommune", next(p for p in kommune if "/agreements/" in p)),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    todo = pages()  # read the ids before Playwright starts its event loop
    chromium = os.environ.get("YRKESBRO_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        contexts: dict[str | None, object] = {}
        for name, user, path in todo:
            if user not in contexts:
                context = browser.new_context(
                    viewport={"width": args.width, "height": 844}, device_scale_factor=1
                )
                if user:
                    page = context.new_page()
                    page.goto(f"{args.base_url}/login/")
                    page.fill("#id_username", user)
                    page.fill("#id_password", PASSWORD)
                    with page.expect_navigation():
                        page.click("main form button[type=submit]")
                    page.close()
                contexts[user] = context
            page = contexts[user].new_page()  # type: ignore[attr-defined]
            page.goto(f"{args.base_url}{path}")
            page.wait_for_load_state("networkidle")
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            page.close()
            print(f"{target.relative_to(ROOT)}  {path}  ({user or 'anonymous'})")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
