"""The Python widget renderer writes exactly what Django's widget templates write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from yrkesbro.core.renderers import PYTHON, FormRenderer

DJANGO = DjangoTemplates()
PYTHONIC = FormRenderer()

HOSTILE = "a<b>&\"c' \x01\u202e æøå"
CHOICES: list[Any] = [
    ("", "---------"),
    ("1", "One"),
    (2, _("Organisations")),
    ("x<y>", HOSTILE),
    ("safe", mark_safe("<b>safe</b>")),
    (
        _("Group"),
        [("g1", "In a group"), ("g2", mark_safe("&amp; safe"))],
    ),
    ("", [("n1", "Group without a name")]),
]
ATTRS: list[dict[str, Any]] = [
    {},
    {"id": "id_f", "class": "ds-input", "required": True, "disabled": False},
    {"aria-describedby": "id_f_helptext id_f_error", "aria-invalid": "true", "data-n": 3},
    {"placeholder": _("Search"), "title": HOSTILE, "data-safe": mark_safe("<i>")},
]


def widgets() -> list[tuple[forms.Widget, list[Any]]]:
    plain_values = [None, "", "text", HOSTILE, 42, mark_safe("<b>")]
    return [
        (forms.TextInput(), plain_values),
        (forms.NumberInput(), [None, 0, 7, "7.5"]),
        (forms.EmailInput(), plain_values),
        (forms.URLInput(), plain_values),
        (forms.PasswordInput(render_value=True), plain_values),
        (forms.PasswordInput(), plain_values),
        (forms.HiddenInput(), plain_values),
        (forms.DateInput(attrs={"type": "date"}), [None, "", dt.date(2026, 12, 1), "not a date"]),
        (forms.DateTimeInput(), [None, dt.datetime(2026, 12, 1, 8, 30)]),
        (forms.TimeInput(), [None, dt.time(8, 30)]),
        (forms.CheckboxInput(), [None, True, False, "on", ""]),
        (forms.Textarea(), [*plain_values, "line\nbreak", "\nleading"]),
        (forms.Select(choices=CHOICES), [None, "", "1", "2", 2, "x<y>", "g2", "missing"]),
        (forms.NullBooleanSelect(), [None, True, False, "unknown"]),
        (forms.SelectMultiple(choices=CHOICES), [None, [], ["1", "g1"], ["x<y>"]]),
        (forms.CheckboxSelectMultiple(choices=CHOICES), [None, [], ["1", "g1", "n1"]]),
        (forms.RadioSelect(choices=CHOICES), [None, "", "2", "g2"]),
    ]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_widget_renders_as_django_renders_it(language: str) -> None:
    with translation.override(language):
        for widget, values in widgets():
            for value in values:
                for attrs in ATTRS:
                    expected = widget.render("f", value, attrs, renderer=DJANGO)
                    got = widget.render("f", value, attrs, renderer=PYTHONIC)
                    assert got == expected, (type(widget).__name__, value, attrs)


def test_the_renderer_answers_the_templates_it_knows_and_hands_on_the_rest() -> None:
    assert settings.FORM_RENDERER == "yrkesbro.core.renderers.FormRenderer"
    used = {w.template_name for w, _values in widgets()}
    assert used <= set(PYTHON)
    # A widget it does not know (a date split in three selects) goes through Django.
    split = forms.SplitDateTimeWidget()
    value = dt.datetime(2026, 12, 1, 8, 30)
    assert split.render("s", value, renderer=PYTHONIC) == split.render("s", value, renderer=DJANGO)

    # An option template of one's own is honoured by handing the whole select to Django.
    class Own(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    own = Own(choices=[("1", "One")])
    assert own.render("o", "1", renderer=PYTHONIC) == own.render("o", "1", renderer=DJANGO)


@hsettings(max_examples=200, deadline=None)
@given(
    value=st.text(),
    label=st.text(),
    attr=st.one_of(st.text(), st.booleans(), st.integers()),
)
def test_any_text_renders_as_django_renders_it(value: str, label: str, attr: Any) -> None:
    attrs = {"id": "id_x", "data-x": attr}
    for widget in (
        forms.TextInput(),
        forms.Textarea(),
        forms.Select(choices=[(value, label), ("other", label)]),
        forms.CheckboxSelectMultiple(choices=[(value, label)]),
    ):
        shown = [value] if isinstance(widget, forms.CheckboxSelectMultiple) else value
        assert widget.render("x", shown, attrs, renderer=PYTHONIC) == widget.render(
            "x", shown, attrs, renderer=DJANGO
        )


def test_fixed_choices_render_and_validate_as_a_plain_list() -> None:
    """``FixedChoices`` spares Django's normalising; the field must not notice otherwise."""
    from yrkesbro.core.forms import FixedChoices
    from yrkesbro.core.widgets import CachedSelectMultiple

    pairs = [("", "Alle"), ("03", "Oslo"), ("34", HOSTILE), ("46", _("Organisations"))]

    class Plain(forms.Form):
        one = forms.ChoiceField(required=False)
        many = forms.MultipleChoiceField(required=False, widget=CachedSelectMultiple)

    def form(data: dict | None, fixed: bool) -> Plain:
        f = Plain(data)
        for name in ("one", "many"):
            f.fields[name].choices = FixedChoices(pairs) if fixed else list(pairs)  # type: ignore[attr-defined]
        return f

    for data in (None, {"one": "34", "many": ["03", "46"]}, {"one": "99", "many": ["x"]}):
        plain, fixed = form(data, False), form(data, True)
        assert str(fixed) == str(plain)
        if data is not None:
            assert fixed.is_valid() == plain.is_valid()
            assert fixed.errors == plain.errors
    assert list(FixedChoices(pairs)) == pairs and len(FixedChoices(iter(pairs))) == 4
