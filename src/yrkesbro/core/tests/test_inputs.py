"""The shared strict-input checks refuse what either database cannot store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yrkesbro.core.errors import DomainError
from yrkesbro.core.inputs import (
    MAX_ID,
    IdField,
    check_date,
    check_datetime,
    check_single_line,
    check_text,
    parse_id,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-3", None),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        ("", None),
        (True, None),
        (2**64, None),
    ],
)
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


@given(st.text())
def test_parse_id_never_raises_and_stays_in_range(text):
    value = parse_id(text)
    assert value is None or 1 <= value <= MAX_ID


@pytest.mark.parametrize(
    "bad", ["a\nb", "a\rb", "a\x00b", "a\x1bb", "a\x7fb", "a\x85b", "a\u2028b"]
)
def test_single_line_refuses_control_characters(bad):
    with pytest.raises(DomainError) as exc:
        check_single_line(bad, field="title")
    assert exc.value.field == "title"


def test_single_line_accepts_norwegian_text():
    assert check_single_line("Møte om Ærlig Økonomi – «nå»") == "Møte om Ærlig Økonomi – «nå»"


def test_multiline_text_allows_line_breaks_but_not_nul():
    assert check_text("one\r\ntwo\tthree") == "one\r\ntwo\tthree"
    with pytest.raises(DomainError):
        check_text("one\x00two")


def test_dates_outside_the_range_are_refused():
    assert check_date(date(2026, 1, 1)) == date(2026, 1, 1)
    for bad in (date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31), date(2201, 1, 1)):
        with pytest.raises(DomainError):
            check_date(bad, field="starts_on")


def test_datetimes_need_an_offset_within_fourteen_hours_and_a_sane_year():
    ok = datetime(2026, 5, 1, 10, tzinfo=timezone(timedelta(hours=2)))
    assert check_datetime(ok) == ok
    with pytest.raises(DomainError) as naive:
        check_datetime(datetime(2026, 5, 1, 10))
    assert naive.value.code == "naive_datetime"
    with pytest.raises(DomainError) as far:
        check_datetime(datetime(2026, 5, 1, tzinfo=timezone(timedelta(hours=15))))
    assert far.value.code == "invalid_offset"
    for edge in (
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2201, 1, 1, tzinfo=UTC),
    ):
        with pytest.raises(DomainError):
            check_datetime(edge)


def test_id_field_answers_a_form_error_for_huge_or_odd_ids():
    field = IdField(required=False)
    assert field.clean("7") == 7
    for bad in (str(2**64), "abc", "²", "-1", "0"):
        form_field = IdField()
        with pytest.raises(Exception) as exc:
            form_field.clean(bad)
        assert exc.type.__name__ == "ValidationError"
