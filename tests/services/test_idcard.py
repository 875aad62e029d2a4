"""Resident ID numbers per GB 11643-1999."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditsvc.core.idcard import IdNumberError, birth_date_of, check_char, normalise_id_number
from tests.factories import id_number

# The two worked examples of GB 11643-1999 itself.
KNOWN_VALID = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_known_valid_numbers_pass(number):
    assert normalise_id_number(number) == number


def test_lower_case_x_is_normalised():
    assert normalise_id_number("11010519491231002x") == "11010519491231002X"
    assert normalise_id_number(" 11010519491231002x ") == "11010519491231002X"


def test_birth_date_is_read():
    assert birth_date_of("11010519491231002X") == date(1949, 12, 31)


@pytest.mark.parametrize("bad", ["", "1101051949123100", "11010519491231002XX", "1101051949123100AX",
                                 "11010519491231002Y", "110105194912310021"])
def test_malformed_numbers_are_rejected(bad):
    with pytest.raises(IdNumberError):
        normalise_id_number(bad)


@pytest.mark.parametrize("birth", ["19490230", "19490431", "19491301", "19490001", "20230229",
                                   "19490100"])
def test_impossible_dates_are_rejected(birth):
    first17 = f"110105{birth}002"
    with pytest.raises(IdNumberError, match="birth date"):
        normalise_id_number(first17 + check_char(first17))


def test_future_birth_dates_are_rejected():
    first17 = "11010520991231002"
    with pytest.raises(IdNumberError, match="birth date is out of range"):
        normalise_id_number(first17 + check_char(first17), today=date(2026, 11, 28))


def test_unknown_province_is_rejected():
    first17 = "99010519491231002"
    with pytest.raises(IdNumberError, match="region"):
        normalise_id_number(first17 + check_char(first17))


@given(st.sampled_from(KNOWN_VALID + [id_number(date(1975, 2, 28)), id_number(date(2000, 2, 29))]),
       st.integers(0, 17), st.sampled_from("0123456789X"))
def test_every_single_character_change_is_rejected(number, position, replacement):
    """MOD 11-2 detects every single substitution (the property the standard promises)."""
    if number[position] == replacement:
        return
    changed = number[:position] + replacement + number[position + 1:]
    with pytest.raises(IdNumberError):
        normalise_id_number(changed)


def test_the_message_never_repeats_the_number():
    with pytest.raises(IdNumberError) as info:
        normalise_id_number("110105194912310021")
    assert "110105" not in str(info.value)
