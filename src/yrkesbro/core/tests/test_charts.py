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


def test_line_chart_text_stays_at_least_12px_in_the_narrowest_column() -> None:
    svg = charts.line_chart("T", ["2026-Q1", "2026-Q2"], [("s", [0.2, 0.4])], y_range=(0, 1))
    width = int(re.search(r'viewBox="0 0 (\d+)', svg).group(1))  # type: ignore[union-attr]
    font = int(re.search(r'font-size="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert font * NARROWEST_COLUMN_PX / width >= 12
    assert 'width="100%"' in svg and f"max-width:{charts.MAX_SHOWN}px" in svg
    # No text is given a size of its own (all of it inherits the legible one).
    assert svg.count("font-size=") == 1


def test_line_chart_series_have_3_to_1_contrast_and_more_than_colour() -> None:
    series = [(f"s{i}", [1.0, 2.0]) for i in range(len(charts.PALETTE))]
    svg = charts.line_chart("T", ["a", "b"], series)
    strokes = re.findall(r'<polyline[^>]*stroke="(#[0-9a-f]{6})"', svg)
    assert strokes == list(charts.PALETTE)
    for colour in strokes:
        assert charts.contrast(colour, charts.BACKGROUND) >= 3.0
    # Each series also has its own dash pattern and marker shape.
    assert len(set(charts.DASHES)) == len(charts.DASHES) >= len(charts.PALETTE)
    assert len(set(charts.MARKERS)) == len(charts.MARKERS) >= len(charts.PALETTE)


def test_line_chart_follows_the_tables_order_and_names_itself() -> None:
    sides = ["Kommune & co", "Fagskole"]
    rounds = ["01.03.2026", "01.09.2026", "<b>"]
    svg = charts.line_chart(
        "Kommunikasjon <ofte nok>",
        rounds,
        [(sides[0], [2.0, None, 3.0]), (sides[1], [4.5, 4.0, None])],
        y_range=(1, 5),
        description="Linjediagram. Tabellen ved siden av har de samme tallene.",
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&lt;ofte nok&gt;" in svg
    # The legend lists the series in the order given (the table's columns).
    legend = [svg.index(f">{name}</text>") for name in ("Kommune &amp; co", "Fagskole")]
    assert legend == sorted(legend)
    # Points left to right in the order given; a None leaves a gap (two runs of one point
    # draw no line, so the first series has no polyline and the second one has one).
    tips = re.findall(r"<title>([^<]*): [\d.]+</title>", svg)
    assert tips == [
        "01.03.2026, Kommune &amp; co",
        "&lt;b&gt;, Kommune &amp; co",
        "01.03.2026, Fagskole",
        "01.09.2026, Fagskole",
    ]
    assert svg.count("<polyline") == 1
    assert 'role="img"' in svg and "Linjediagram." in svg
    assert re.search(r'aria-labelledby="(ybc\d+)-t \1-d"', svg)
    # The y axis runs over the range given.
    assert ">1</text>" in svg and ">5</text>" in svg


def test_line_chart_thins_crowded_labels_but_keeps_the_last() -> None:
    labels = [f"2026-Q{q}" for q in range(1, 5)] + [f"2027-Q{q}" for q in range(1, 5)]
    svg = charts.line_chart("T", labels, [("s", [0.1] * 8)], percent=True, y_range=(0, 1))
    shown = [label for label in labels if f">{label}</text>" in svg]
    assert labels[-1] in shown and 2 <= len(shown) < len(labels)
    assert ">100 %</text>" in svg


def test_line_chart_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        charts.line_chart("T", ["a", "b"], [("s", [1.0])])
    with pytest.raises(ValueError):
        charts.line_chart("T", ["a"], [(str(i), [1.0]) for i in range(len(charts.PALETTE) + 1)])
