"""The fund's capacity and the suspension of lending."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lending import fund
from lending.fund import FundPosition
from scoring.policy import Policy

POLICY = Policy()
FEN = st.integers(0, 100_000_000)


def test_suspension_names_each_reason_at_its_edge():
    ok = FundPosition(50_000_000, 10_000_000, 100_000_000, 4_999_999)
    assert fund.suspension_reasons(ok, POLICY) == []
    at_tolerance = FundPosition(50_000_000, 10_000_000, 100_000_000, 5_000_000)
    assert fund.suspension_reasons(at_tolerance, POLICY) == [fund.NPL_TOLERANCE_REACHED]
    low = FundPosition(50_000_000, 9_999_999, 0, 0)
    assert fund.suspension_reasons(low, POLICY) == [fund.BALANCE_BELOW_FLOOR]


@given(FEN, st.integers(1, 100_000_000), FEN, FEN)
def test_suspension_is_monotone_in_the_npl_ratio(npl_a, outstanding, npl_b, balance):
    low, high = sorted((min(npl_a, outstanding), min(npl_b, outstanding)))
    suspended = [fund.NPL_TOLERANCE_REACHED in fund.suspension_reasons(
        FundPosition(50_000_000, balance, outstanding, npl), POLICY) for npl in (low, high)]
    assert suspended[0] <= suspended[1]  # suspended at a ratio: suspended at every higher one


@given(FEN, FEN)
def test_suspension_is_monotone_in_the_balance(a, b):
    low, high = sorted((a, b))
    below = [fund.BALANCE_BELOW_FLOOR in fund.suspension_reasons(
        FundPosition(50_000_000, balance, 0, 0), POLICY) for balance in (low, high)]
    assert below[0] >= below[1]


def test_capacity_is_capital_times_leverage_split_by_share():
    cap = fund.leverage_cap_fen(50_000_000, POLICY.leverage)
    assert cap == 500_000_000
    assert fund.bank_share(POLICY, "PSBC") == Decimal("0.60")
    assert fund.bank_share(POLICY, "NONE") == 0 and fund.bank_share_bp(POLICY, "ABC") == 4000
    assert fund.bank_cap_fen(cap, Decimal("0.60")) == 300_000_000
    assert fund.contingent_liability_fen(1_000_001, Decimal("0.80")) == 800_001


@given(FEN, FEN, FEN, FEN)
def test_a_bank_never_has_more_room_than_the_fund_nor_less_than_none(bank_cap, bank_out, cap, out):
    room = fund.bank_available_fen(bank_cap, bank_out, cap, out)
    assert 0 <= room <= fund.available_fen(cap, out)
    assert room <= max(0, bank_cap - bank_out)


def test_a_fund_without_capital_suspends_lending_and_says_why():
    empty = FundPosition(0, 0, 0, 0)
    assert fund.suspension_reasons(empty, POLICY) == [fund.NOT_INITIALISED]
    assert fund.NOT_INITIALISED not in fund.suspension_reasons(FundPosition(1, 1, 0, 0), POLICY)
