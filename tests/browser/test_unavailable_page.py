"""The 503 page shown while the database is unreachable: translated, accessible, reflows at 320 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "test-results"


def test_the_unavailable_page_at_320_and_1280_px(
    page: Any, live_server: Any, axe_check: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    def refuse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "_execute_with_wrappers", refuse)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(f"{live_server.url}/organisations/")
        assert response.status == 503
        assert response.headers["retry-after"] == "5"
        assert page.locator("h1").inner_text() == "Midlertidig utilgjengelig"
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"scrolls sideways at {width} px: {widths}"
        axe_check(page, f"503 page at {width} px")
        page.screenshot(path=str(tmp_path / f"unavailable-{width}.png"), full_page=True)
    print(tmp_path)
