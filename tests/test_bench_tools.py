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
