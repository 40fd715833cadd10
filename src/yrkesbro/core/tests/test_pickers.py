"""Searchable pickers render the chosen options plus at most N matches in a fixed number of
queries, search with HTMX or a plain post, and validate against the full queryset."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from yrkesbro.core.inputs import IdModelChoiceField, IdModelMultipleChoiceField
from yrkesbro.core.pickers import SearchPicker, SearchPickerMultiple, answer_pickers
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import OrganisationFactory

pytestmark = pytest.mark.django_db

LIMIT = 5


class PickForm(forms.Form):
    many = IdModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=SearchPickerMultiple(search=("name", "code"), limit=LIMIT),
        label="Companies",
    )
    one = IdModelChoiceField(
        queryset=Organisation.objects.none(),
        widget=SearchPicker(search=("name",), limit=LIMIT),
        required=False,
        label="Main company",
    )
    note = forms.CharField(required=False)
    flag = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        permitted = Organisation.objects.filter(kind=Kind.COMPANY, is_active=True).order_by("name")
        self.fields["many"].queryset = permitted  # type: ignore[attr-defined]
        self.fields["one"].queryset = permitted  # type: ignore[attr-defined]


@pytest.fixture
def companies() -> list[Organisation]:
    made = [OrganisationFactory(kind=Kind.COMPANY, name=f"Firma {i:02d}") for i in range(30)]
    made.append(OrganisationFactory(kind=Kind.COMPANY, name="Bakeri Berg", code="BAK"))
    return made


@pytest.fixture
def outsider() -> Organisation:
    return OrganisationFactory(kind=Kind.COMPANY, name="Firma nedlagt", is_active=False)


def _values(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)"', html)


def _checked(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)"[^>]* checked', html)


def test_renders_the_chosen_plus_at_most_n_and_the_count_line(
    companies: list[Organisation],
) -> None:
    chosen = companies[29]  # "Firma 29": not among the first five
    form = PickForm(initial={"many": [chosen.pk]})
    with translation.override("en"):
        html = str(form["many"])
    values = _values(html, "many")
    assert len(values) == LIMIT + 1
    assert _checked(html, "many") == [str(chosen.pk)]
    assert "Showing 5 of 30. Type to find more." in html  # 31 permitted, one chosen
    assert 'type="search"' in html and 'for="id_many_q"' in html
    with translation.override("nb"):
        assert "Viser 5 av 31. Skriv for å finne flere." in str(PickForm()["many"])
    # the optional single choice offers "none", checked when nothing is chosen
    one = str(PickForm()["one"])
    assert re.search(r'type="radio" name="one" value=""[^>]* checked', one)


def test_the_number_of_queries_does_not_grow_with_the_options(
    companies: list[Organisation],
) -> None:
    def queries() -> int:
        form = PickForm(initial={"many": [companies[3].pk]})
        with CaptureQueriesContext(connection) as ctx:
            str(form["many"])
        return len(ctx.captured_queries)

    few = queries()
    for i in range(40):
        OrganisationFactory(kind=Kind.COMPANY, name=f"Mer {i}")
    assert queries() == few <= 3


def test_search_filters_by_every_word_over_the_search_fields(
    companies: list[Organisation],
) -> None:
    rf = RequestFactory()
    form = PickForm()
    assert answer_pickers(rf.get("/x/", {"many_q": "bak"}), form) is None
    with translation.override("en"):
        html = str(form["many"])
    assert _values(html, "many") == [str(companies[30].pk)]
    assert "1 match." in html
    form = PickForm()
    answer_pickers(rf.get("/x/", {"many_q": "firma 0"}), form)
    assert len(_values(str(form["many"]), "many")) == LIMIT  # Firma 00 to 09: ten, five shown
    form = PickForm()
    answer_pickers(rf.get("/x/", {"many_q": "zzz"}), form)
    with translation.override("en"):
        assert "Nothing matches “zzz”." in str(form["many"])


def test_htmx_answers_only_the_options_and_keeps_the_chosen(
    companies: list[Organisation],
) -> None:
    request = RequestFactory().get(
        "/x/",
        {"picker": "many", "many_q": "bakeri", "many": [str(companies[7].pk), "junk", "9" * 30]},
    )
    request.htmx = True  # type: ignore[attr-defined]
    response = answer_pickers(request, PickForm())
    assert response is not None and response.status_code == 200
    html = response.content.decode()
    assert "<form" not in html and 'type="search"' not in html
    assert _checked(html, "many") == [str(companies[7].pk)]
    assert _values(html, "many") == [str(companies[7].pk), str(companies[30].pk)]
    assert 'id="id_many_status" hx-swap-oob="innerHTML"' in html
    # an unknown picker name is no picker request
    request = RequestFactory().get("/x/", {"picker": "<script>"})
    request.htmx = True  # type: ignore[attr-defined]
    assert answer_pickers(request, PickForm()) is None


def test_the_search_button_without_javascript_keeps_what_was_posted(
    companies: list[Organisation],
) -> None:
    posted = {
        "picker": "many",
        "many_q": "bakeri",
        "many": [str(companies[12].pk)],
        "one": str(companies[20].pk),
        "note": "half-written",
    }  # "flag" unticked
    form = PickForm(RequestFactory().post("/x/", posted).POST)
    assert answer_pickers(RequestFactory().post("/x/", posted), form) is None
    assert not form.is_bound and not form.is_valid() and not form.errors
    many = str(form["many"])
    assert _checked(many, "many") == [str(companies[12].pk)]
    assert str(companies[30].pk) in _values(many, "many")
    assert _checked(str(form["one"]), "one") == [str(companies[20].pk)]
    assert 'value="half-written"' in str(form["note"])
    assert "checked" not in str(form["flag"])


def test_validation_uses_the_full_permitted_queryset(
    companies: list[Organisation], outsider: Organisation
) -> None:
    hidden = companies[25]  # never among the shown options
    form = PickForm({"many": [str(hidden.pk)], "one": str(hidden.pk)})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["many"]) == [hidden]
    for bad in (str(outsider.pk), "abc", "9" * 30, "-1"):
        form = PickForm({"many": [bad], "one": bad})
        assert not form.is_valid()
        assert set(form.errors) == {"many", "one"}
        html = str(form["many"])  # renders, without the refused value
        assert _checked(html, "many") == []


def test_hostile_search_text_searches_nothing(companies: list[Organisation]) -> None:
    form = PickForm()
    answer_pickers(RequestFactory().get("/x/", {"many_q": "fir\x00ma"}), form)
    assert len(_values(str(form["many"]), "many")) == LIMIT  # as with no search
    form = PickForm()
    answer_pickers(RequestFactory().get("/x/", {"many_q": "a " * 500}), form)
    assert _values(str(form["many"]), "many")  # bounded: words beyond five are ignored
