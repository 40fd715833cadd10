"""A wheel built from the repository carries the front-end assets, and serves the home page styled.

`make setup` collects and compresses the static files into the package once;
the wheel carries them, so `pip install` + `yrkesbro demo` needs no build step
and no `collectstatic` at start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "yrkesbro"

# Run inside the unpacked wheel: migrate an empty SQLite home, then fetch the home
# page and every stylesheet it links, the way a browser would, through WhiteNoise.
SMOKE = """
import re, sys
import django
from django.core.management import call_command
django.setup()
import yrkesbro
assert yrkesbro.__file__.startswith(sys.argv[1]), yrkesbro.__file__
call_command("migrate", verbosity=0)
from django.test import Client
client = Client(HTTP_HOST="localhost")
home = client.get("/")
assert home.status_code == 200, home.status_code
sheets = re.findall(r'href="(/static/[^"]+\\.css)"', home.content.decode())
assert len(sheets) >= 3, sheets
for sheet in sheets:
    css = client.get(sheet)
    assert css.status_code == 200, sheet
    assert len(b"".join(css.streaming_content)) > 100, sheet
print("ok", len(sheets))
"""


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    subprocess.run(
        [
            sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
            "--no-build-isolation", "--no-index", "--wheel-dir", str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("yrkesbro-*.whl")
    return wheel


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the wheel does not depend on the database; the SQLite run covers it",
)
def test_a_wheel_carries_the_assets_and_serves_a_styled_home_page(tmp_path):
    if not (PACKAGE / "collected_static" / "staticfiles.json").exists():
        pytest.fail("static files not collected: run `make setup` before the tests")
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    assert "yrkesbro/collected_static/staticfiles.json" in names
    for asset in (
        "vendor/designsystemet/designsystemet.css",
        "vendor/inter/inter.css",
        "yrkesbro/site.css",
    ):
        assert f"yrkesbro/collected_static/{asset}" in names, asset
    assert "yrkesbro/core/locale/nb/LC_MESSAGES/django.mo" in names
    home = tmp_path / "home"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(tmp_path / "site"),
        "DJANGO_SETTINGS_MODULE": "yrkesbro.settings",
        "YRKESBRO_HOME": str(home),
    }
    smoke = subprocess.run(
        [sys.executable, "-c", SMOKE, str(tmp_path / "site")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert smoke.returncode == 0, smoke.stderr[-3000:]
    assert smoke.stdout.startswith("ok")


def test_demo_refuses_with_one_line_when_the_assets_are_missing(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "yrkesbro.settings",
        "YRKESBRO_HOME": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "nothing-here"),
    }
    for command in ("demo", "serve"):
        result = subprocess.run(
            [sys.executable, "-m", "yrkesbro.cli", command, "--no-serve"]
            if command == "demo"
            else [sys.executable, "-m", "yrkesbro.cli", command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "make setup" in lines[0]
    assert not (tmp_path / "yrkesbro.sqlite3").exists()  # refused before touching anything
