"""Cached pickers render exactly as Django's own, per selection and language, in bounded memory."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from yrkesbro.core import widgets

CHOICES = [("", _("Anywhere"))] + [(f"{n:04d}", f"Kommune <{n}>") for n in range(400)]


def test_cached_select_renders_as_the_plain_select_for_each_value_and_language() -> None:
    plain, cached = forms.Select(choices=CHOICES), widgets.CachedSelect(choices=CHOICES)
    for language in ("nb", "en"):
        with translation.override(language):
            for value in ("", "0042", "0399", "not-a-choice"):
                attrs = {"id": "id_near"}
                expected = plain.render("near", value, attrs)
                assert cached.render("near", value, attrs) == expected
                assert cached.render("near", value, attrs) == expected  # from the cache
    with translation.override("en"):
        assert "Anywhere" in cached.render("near", "", {})
    assert "&lt;7&gt;" in cached.render("near", "", {})  # escaped as Django escapes


def test_cached_select_multiple_and_changed_options() -> None:
    plain = forms.SelectMultiple(choices=CHOICES)
    cached = widgets.CachedSelectMultiple(choices=CHOICES)
    assert cached.render("m", ["0001", "0002"], {}) == plain.render("m", ["0001", "0002"], {})
    fewer = widgets.CachedSelectMultiple(choices=CHOICES[:3])
    assert "0399" not in fewer.render("m", ["0001"], {})


def test_the_cache_is_bounded() -> None:
    cached = widgets.CachedSelect(choices=CHOICES[:5])
    for n in range(widgets.MAX_ENTRIES + 50):
        cached.render(f"f{n}", "", {})
    assert widgets.cache_size() == widgets.MAX_ENTRIES
