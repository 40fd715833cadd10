"""The pages run under a Content-Security-Policy without 'unsafe-inline' for scripts,
and the browser fixtures notice a violation (so every browser test checks CSP)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_handler_is_blocked_and_reported(new_context: Any, live_server: Any) -> None:
    page = new_context().new_page()
    response = page.goto(f"{live_server.url}/collaboration/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate(
        """() => {
            window.__ran = false;
            const s = document.createElement('script');
            s.textContent = 'window.__ran = true';
            document.body.appendChild(s);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is False
    violations = new_context.csp_violations
    assert violations, "the fixture must see the blocked inline script"
    violations.clear()  # expected here; any other test fails on one


def test_htmx_search_works_under_the_policy(new_context: Any, live_server: Any) -> None:
    page = new_context().new_page()
    page.goto(f"{live_server.url}/programmes/")
    assert page.evaluate("typeof window.htmx") == "object"
