"""Reflow (WCAG 1.4.10), legible charts and axe on the key pages of every app, as each demo role.

One test per width (320 px: a phone at 400 % zoom; 1280 px: a desktop) visits the key
pages each demo role uses and collects every failure before it reports:

- the page scrolls sideways as a whole (wide tables must scroll inside their own
  focusable region instead);
- text in an SVG chart is drawn smaller than 12 CSS px at that width;
- axe-core finds a WCAG 2.0/2.1 A or AA violation (``scrollable-region-focusable``
  included: a region that scrolls must be reachable by keyboard).

The demo data is loaded once per test; about 35 pages per width keep it near a minute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = """() => {
  const root = document.documentElement;
  const overflow = root.scrollWidth - root.clientWidth;
  const culprits = [];
  if (overflow > 0) {
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.yb-table-wrap')) continue;
      const box = el.getBoundingClientRect();
      if (box.right > root.clientWidth + 1) culprits.push(el.tagName.toLowerCase() + '.' + el.className);
      if (culprits.length > 3) break;
    }
  }
  const small = [];
  for (const text of document.querySelectorAll('svg text')) {
    const matrix = text.getScreenCTM();
    if (!matrix || !text.getClientRects().length) continue;
    const px = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
    if (px < 11.95) small.push(`${text.textContent.slice(0, 24)} (${px.toFixed(1)} px)`);
  }
  return {overflow, culprits, small: small.slice(0, 3)};
}"""


@pytest.fixture
def demo_pages(db: Any) -> dict[str | None, list[str]]:
    from yrkesbro.core.demo import load_demo
    from yrkesbro.core.tests.key_pages import key_pages

    load_demo()
    return key_pages()


@pytest.mark.parametrize("width", [320, 1280])
def test_key_pages_reflow_with_legible_charts_and_no_axe_violations(
    width: int,
    demo_pages: dict[str | None, list[str]],
    new_context: Callable[..., Any],
    sign_in: Callable[[Any, Any], None],
    axe_violations: Callable[[Any], list[dict[str, Any]]],
) -> None:
    from yrkesbro.accounts.models import User

    failures: list[str] = []
    visited = 0
    for username, paths in demo_pages.items():
        context = new_context()
        if username:
            sign_in(context, User.objects.get(username=username))
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            where = f"{path} as {username or 'anonymous'} at {width} px"
            response = page.goto(path)
            visited += 1
            if response is None or response.status != 200:
                failures.append(f"{where}: HTTP {response.status if response else '?'}")
                continue
            measured = page.evaluate(MEASURE)
            if measured["overflow"] > 0:
                failures.append(
                    f"{where}: the page scrolls sideways by {measured['overflow']} px "
                    f"({', '.join(measured['culprits'])})"
                )
            if measured["small"]:
                failures.append(f"{where}: chart text under 12 px: {measured['small']}")
            for violation in axe_violations(page):
                targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
                failures.append(f"{where}: axe {violation['id']}: {targets}")
        context.close()
    assert visited >= 30
    assert not failures, "\n".join(failures)
