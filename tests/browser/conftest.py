"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here gets a fresh browser context (cookies, storage) and page; the
browser itself is started once per test process. ``login`` signs in through the
real log-in form, ``axe_check`` runs axe-core's WCAG 2.0/2.1 A and AA rules on
the current page and fails with a readable list of violations.

No browser is ever downloaded: Playwright drives /usr/bin/chromium. When it is
missing the tests skip locally with a one-line reason, and fail in CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls from a thread with a running loop unless told this is fine (it is: tests).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Overridable for machines that keep Chromium elsewhere; CI uses Debian's package.
CHROMIUM = os.environ.get("YRKESBRO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "yrkesbro" / "core" / "static" / "vendor"
TIMEOUT_MS = 10_000

# axe-core tags for WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _require(path: str, reason: str) -> None:
    """Same rule as ``require_tool`` in the root conftest: skip locally, fail in CI."""
    if shutil.which(path) is None and not os.path.exists(path):
        if IN_CI:
            pytest.fail(f"{reason} ({path} missing) – CI must not skip this")
        pytest.skip(f"{reason}: {path} not found")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require(CHROMIUM, "Browser tests need Debian's Chromium")
    if not (VENDOR / "designsystemet").is_dir():
        message = f"{VENDOR} is missing; run `make setup` (tools/vendor_assets.py)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _new_context(browser: Any, **kwargs: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **kwargs)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _is_csp_violation(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


@pytest.fixture
def new_context(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Open further browser contexts (another person, or JavaScript switched off).

    The pages run under the site's real Content-Security-Policy; a violation the
    browser reports (a blocked inline script, style or handler) fails the test.
    """
    contexts: list[Any] = []
    violations: list[str] = []

    def record(message: Any) -> None:
        if _is_csp_violation(message.text):
            violations.append(f"{message.type}: {message.text[:300]}")

    def make(**kwargs: Any) -> Any:
        context = _new_context(browser, base_url=live_server.url, **kwargs)
        context.on("console", record)
        contexts.append(context)
        return context

    make.csp_violations = violations  # type: ignore[attr-defined]
    yield make
    for context in contexts:
        context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def context(new_context: Callable[..., Any]) -> Any:
    return new_context()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture
def login(live_server: Any) -> Callable[[Any, Any], None]:
    """Sign a user in through the real log-in form; the page ends on the start page."""
    from yrkesbro.testing import PASSWORD

    def do_login(page: Any, user: Any, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "/login/" not in page.url, f"log-in as {user.username} failed: {page.url}"

    return do_login


@pytest.fixture
def sign_in(live_server: Any) -> Callable[[Any, Any], None]:
    """Give a browser context a session for the user without visiting the form (faster).

    Use ``login`` when the log-in itself is part of what a test proves.
    """
    from django.conf import settings
    from django.test import Client

    def do_sign_in(context: Any, user: Any) -> None:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookie = {"name": name, "value": client.cookies[name].value, "url": live_server.url}
        context.add_cookies([cookie])

    return do_sign_in


@pytest.fixture(scope="session")
def _axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {node['html'][:160]}")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def axe_violations(_axe: Any) -> Callable[[Any], list[dict[str, Any]]]:
    """The WCAG 2.0/2.1 A and AA violations axe-core finds on the page as it is now."""

    def run(page: Any) -> list[dict[str, Any]]:
        page.wait_for_load_state()
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        return list(_axe.run(page, options=options).response["violations"])

    return run


@pytest.fixture
def axe_check(axe_violations: Callable[[Any], list[dict[str, Any]]]) -> Callable[..., None]:
    """Assert that the page has no WCAG 2.0/2.1 A or AA violations that axe-core detects."""

    def check(page: Any, label: str = "", failures: list[str] | None = None) -> None:
        """With ``failures``, append the report to it instead of failing at once."""
        violations = axe_violations(page)
        if not violations:
            return
        report = f"{len(violations)} accessibility violation(s) on {label or page.url}:\n"
        report += format_violations(violations)
        if failures is None:
            raise AssertionError(report)
        failures.append(report)

    return check
