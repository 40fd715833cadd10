"""The shared chart helper: legible at 320 px, contrasting colours, table order, escaped."""

from __future__ import annotations

import re

import pytest

from yrkesbro.core import charts

NARROWEST_COLUMN_PX = 288  # a 320 px screen minus the page margins


def test_labels_stay_at_least_12px_in_the_narrowest_column() -> None:
    svg = charts.bar_chart("T", ["a"], [("s", [1])])
    width = int(re.search(r'viewBox="0 0 (\d+)', svg).group(1))  # type: ignore[union-attr]
    font = int(re.search(r'font-size="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert font * NARROWEST_COLUMN_PX / width >= 12
    assert 'width="100%"' in svg and f"max-width:{charts.MAX_SHOWN}px" in svg


@pytest.mark.parametrize("colour", charts.PALETTE)
def test_every_series_colour_has_3_to_1_contrast_against_the_background(colour: str) -> None:
    assert charts.contrast(colour, charts.BACKGROUND) >= 3.0
    assert charts.contrast(charts.TEXT, charts.BACKGROUND) >= 4.5


def test_rows_are_drawn_in_the_order_given_and_text_is_escaped() -> None:
    labels = ["Demens", "Rus & psykisk helse", "<script>"]
    svg = charts.bar_chart(
        "Behov <per> område",
        labels,
        [("Høy", [3, 2, 1]), ("Lav", [1, 0, 4])],
        stacked=True,
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    positions = [svg.index(f">{label}</text>") for label in ("Demens", "Rus &amp; psykisk helse")]
    assert positions == sorted(positions)
    assert svg.count("<rect") == 1 + 2 + 2 * 3  # background, legend, bars
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        charts.bar_chart("T", ["a", "b"], [("s", [1])])
    with pytest.raises(ValueError):
        charts.bar_chart("T", ["a"], [(str(i), [1]) for i in range(len(charts.PALETTE) + 1)])


def test_network_numbers_its_nodes() -> None:
    svg = charts.network_chart("Nett", ["Alfa", "Beta & co", "Gamma"], [(0, 1, 3), (1, 2, 1)])
    assert svg.count("<circle") == 3 and svg.count("<line") == 2
    assert ">1</text>" in svg and ">3</text>" in svg and "Beta &amp; co" in svg
