"""Every UI string is translated to bokmål and nynorsk, and the pages speak the chosen language.

(a) The committed catalogues are complete: no empty msgstr (any plural form), no
    fuzzy entry, the same placeholders and inline HTML as the msgid, and a
    Language header that names the catalogue's language.
(b) The catalogues match the source: makemessages is run on a copy of each app
    that has a locale/ folder, and every msgid it finds must be in the committed
    catalogue. Needs GNU xgettext; skipped locally without it, failed in CI.
(c) The start page renders in bokmål, nynorsk and English, chosen with the
    language cookie.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import Client

PACKAGE_DIR = Path(__file__).resolve().parents[2]
LANGS = ("nb", "nn")
IN_CI = os.environ.get("CI", "").lower() == "true"

# %(name)s / %s / %d and {{ name }}; "%%" is a literal per cent sign and not a placeholder.
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdifr]|%[sdifr]|\{\{\s*[^}]*?\s*\}\}")
# Inline HTML that may appear in a msgid; it must come through unchanged.
HTML_TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|kbd|p|small|span|strong|sub|sup|time)\b[^>]*>")


def catalogue_paths() -> list[Path]:
    return sorted(
        p for lang in LANGS for p in PACKAGE_DIR.glob(f"*/locale/{lang}/LC_MESSAGES/django.po")
    )


def load(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _texts(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _placeholders(text: str) -> list[str]:
    return sorted(re.sub(r"\s+", " ", p) for p in PLACEHOLDER.findall(text.replace("%%", "")))


def _tags(text: str) -> list[str]:
    return sorted(HTML_TAG.findall(text))


def _label(message: Message) -> str:
    text = _texts(message.id)[0]
    ctx = f" [context {message.context!r}]" if message.context else ""
    return f"{text[:70]!r}{ctx}"


def problems_in(path: Path) -> list[str]:
    """One line per problem in one catalogue."""
    catalog = load(path)
    rel = path.relative_to(PACKAGE_DIR)
    lang = path.parents[1].name
    found: list[str] = []
    if str(catalog.locale or "") != lang:
        found.append(f"{rel}: header says Language: {catalog.locale or '(empty)'}, expected {lang}")
    for message in catalog:
        if not message.id:
            continue
        ids = _texts(message.id)
        strings = _texts(message.string or "")
        where = f"{rel}: {_label(message)}"
        if message.fuzzy:
            found.append(f"{where}: marked fuzzy")
        if len(strings) < len(ids) or any(not s.strip() for s in strings):
            found.append(f"{where}: empty translation")
            continue
        # Each plural form may use the placeholders of either the singular or the plural msgid.
        expected = [_placeholders(i) for i in ids]
        expected_tags = [_tags(i) for i in ids]
        for n, string in enumerate(strings):
            form = f"msgstr[{n}]" if len(ids) > 1 else "msgstr"
            got = _placeholders(string)
            if got not in expected:
                found.append(f"{where}: {form} has placeholders {got}, msgid has {expected[0]}")
            got_tags = _tags(string)
            if got_tags not in expected_tags:
                found.append(f"{where}: {form} has HTML {got_tags}, msgid has {expected_tags[0]}")
    return found


def test_catalogues_exist() -> None:
    apps = {p.parents[3].name for p in catalogue_paths()}
    assert {"core", "accounts", "organisations"} <= apps


def test_every_entry_is_translated_with_the_same_placeholders() -> None:
    problems = [line for path in catalogue_paths() for line in problems_in(path)]
    assert not problems, "Translation problems:\n" + "\n".join(problems)


def _apps_with_locale() -> list[Path]:
    return sorted(
        # Every app, with or without a locale/ folder yet: git keeps no empty folders,
        # so an app that never committed its catalogue must still be caught.
        d
        for d in PACKAGE_DIR.iterdir()
        if (d / "apps.py").exists()
    )


def _keys(catalog: Catalog) -> dict[tuple[object, str | None], Message]:
    return {(m.id, m.context): m for m in catalog if m.id}


def test_catalogues_cover_every_string_in_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("xgettext") is None:
        if IN_CI:
            pytest.fail(
                "GNU xgettext (package gettext) is missing – CI must not skip the catalogue check"
            )
        pytest.skip("GNU xgettext not found: cannot compare the catalogues with the source")
    missing: list[str] = []
    for app_dir in _apps_with_locale():
        copy = tmp_path / app_dir.name
        shutil.copytree(
            app_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "*.mo", "*.pyc")
        )
        (copy / "locale").mkdir()
        monkeypatch.chdir(copy)
        call_command(
            "makemessages",
            locale=["nb"],
            no_obsolete=True,
            no_location=True,
            ignore_patterns=["tests/*", "migrations/*"],
            verbosity=0,
        )
        fresh_path = copy / "locale/nb/LC_MESSAGES/django.po"
        if not fresh_path.exists():
            continue  # no translatable strings in this app
        fresh = _keys(load(fresh_path))
        for lang in LANGS:
            committed_path = app_dir / "locale" / lang / "LC_MESSAGES" / "django.po"
            rel = committed_path.relative_to(PACKAGE_DIR)
            if not committed_path.exists():
                if fresh:
                    missing.append(f"{rel}: missing, but the source has {len(fresh)} strings")
                continue
            committed = _keys(load(committed_path))
            missing += [f"{rel}: {_label(m)}" for key, m in fresh.items() if key not in committed]
    assert not missing, (
        "Strings in the source that are not in the catalogue; run tools/makemessages.sh <app> and "
        "translate them:\n" + "\n".join(missing)
    )


# The start page in each language: (code, skip link, sign-in link, footer link).
PAGE_LANGUAGES = [
    ("nb", "Hopp til hovedinnhold", "Logg inn", "Tilgjengelighetserklæring"),
    ("nn", "Hopp til hovudinnhaldet", "Logg inn", "Tilgjengelegheitserklæring"),
    ("en", "Skip to main content", "Sign in", "Accessibility statement"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "skip_link", "sign_in", "accessibility"), PAGE_LANGUAGES)
def test_start_page_speaks_the_chosen_language(
    client: Client, code: str, skip_link: str, sign_in: str, accessibility: str
) -> None:
    for lang in LANGS:
        po = PACKAGE_DIR / "core/locale" / lang / "LC_MESSAGES/django.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            pytest.fail(
                f"{mo.relative_to(PACKAGE_DIR)} is missing or stale: run `yrkesbro compile_translations`"
            )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}"' in html
    assert response.headers["Content-Language"] == code
    for text in (skip_link, sign_in, accessibility):
        assert text in html, f"{text!r} not on the {code} start page"
    if code != "en":
        assert "Skip to main content" not in html
