"""The bench's measuring tools measure what they say: the anatomy clock takes nested parts
out of the outer one, and the engines bench renders the same row every way."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def busy(seconds: float) -> None:
    until = time.process_time() + seconds
    while time.process_time() < until:
        pass


def test_the_anatomy_clock_counts_a_nested_part_once() -> None:
    anatomy = load("anatomy")

    class Work:
        def inner(self) -> None:
            busy(0.02)

        def outer(self) -> None:
            busy(0.03)
            self.inner()

    clock = anatomy.Clock()
    clock.wrap(Work, "inner", "sql")
    clock.wrap(Work, "outer", "templates")
    Work().outer()
    spent = clock.reset()
    assert spent["sql"] == pytest.approx(0.02, abs=0.01)
    assert spent["templates"] == pytest.approx(0.03, abs=0.01)
    assert clock.reset() == {}


def test_the_engines_bench_renders_the_same_rows_every_way(capsys: pytest.CaptureFixture) -> None:
    engines = load("engines")
    assert engines.main(["--rows", "3", "--repeat", "2"]) == 0  # it asserts the equality
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == [
        "values",
        "python",
        "jinja2",
        "django",
        "django,",
    ]


def test_the_page_budget_names_what_each_page_exceeds_and_spares_downloads() -> None:
    pages = load("pages")

    def row(page: str, cpu: float, x: float, growth: float | None = None):  # type: ignore[no-untyped-def]
        return pages.Row(page, "school", "/", 200, cpu, cpu, cpu, 3, x, x, growth)

    rows = [
        row("floor:accessibility", 4.0, 1.0),
        row("needs:list", 30.0, 7.5),  # within
        row("collaboration:index", 52.0, 9.9),  # over in milliseconds
        row("matching:school", 45.0, 10.6),  # over its floor
        row("needs:detail", 12.0, 3.0, growth=1.8),  # grew
        row("catalogue:export csv", 219.0, 64.3, growth=4.0),  # a download: spared
        row("needs:plan_print", 66.0, 12.9),  # a print view: spared
    ]
    over = {r.page: why for r, why in pages.over_budget(rows)}
    assert over == {
        "collaboration:index": "52 ms",
        "matching:school": "10.6x its floor",
        "needs:detail": "grew 1.8x",
    }
