import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yrkesbro.organisations.register import REGISTER_FILE
from yrkesbro.organisations.validators import WEIGHTS, org_number_is_valid


def check_digit(first8: str) -> int | None:
    """An independent statement of the rule: 11 - (weighted sum mod 11), 11→0, 10→invalid."""
    total = sum(int(d) * w for d, w in zip(first8, WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def test_every_shipped_org_number_passes_the_check():
    with REGISTER_FILE.open(encoding="utf-8") as fh:
        numbers = [row["organisation_number"] for row in csv.DictReader(fh)]
    present = [n for n in numbers if n]
    assert len(present) == 356  # Haram has none in the shipped file
    assert all(org_number_is_valid(n) for n in present)


@pytest.mark.parametrize("value", ["958935420", "958 935 420", "958.935.420"])
def test_known_good_numbers_in_common_spellings(value):
    assert org_number_is_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "958935421",
        "95893542",
        "9589354200",
        "abcdefghi",
        "٩٥٨٩٣٥٤٢٠",
        "958935420\n",
        "-58935420",
    ],
)
def test_bad_numbers_are_refused(value):
    assert not org_number_is_valid(value)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_exactly_one_check_digit_is_accepted_when_any(first8):
    accepted = [d for d in range(10) if org_number_is_valid(first8 + str(d))]
    expected = check_digit(first8)
    assert accepted == ([] if expected is None else [expected])
