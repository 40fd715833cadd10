"""Every environment variable the code reads is in the README's configuration table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READS = re.compile(
    r"""env_(?:str|bool|int|list)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|os\.getenv\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\](?!\s*=[^=])"""
)
# Set by the process for itself, or by Django and the test runner, or passed from
# bench/load.py to its own locust file; not configuration anyone sets.
NOT_CONFIGURATION = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "YB_TOKEN",
    "YB_ORG",
    "YB_ACKS",
    "YB_STATUSES",
}


def read_by_code() -> dict[str, str]:
    found: dict[str, str] = {}
    files = [
        *(ROOT / "src").rglob("*.py"),
        *(ROOT / "tools").rglob("*.py"),
        *(ROOT / "bench").rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
        ROOT / "conftest.py",
    ]
    for path in files:
        if "migrations" in path.parts or path == Path(__file__):
            continue
        for match in READS.finditer(path.read_text(encoding="utf-8")):
            name = next(group for group in match.groups() if group)
            found.setdefault(name, str(path.relative_to(ROOT)))
    return {k: v for k, v in found.items() if k not in NOT_CONFIGURATION}


def documented() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration (environment)", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def test_every_environment_variable_read_is_documented():
    missing = {name: where for name, where in read_by_code().items() if name not in documented()}
    assert not missing, f"add these to the README's configuration table: {missing}"


def test_the_scan_finds_what_settings_read():
    # The test above is only as good as its scan.
    found = read_by_code()
    assert {"SECRET_KEY", "DATABASE_URL", "WEB_CONCURRENCY", "BIND", "LOG_LEVEL"} <= found.keys()
    assert "SECRET_KEY" in documented()
