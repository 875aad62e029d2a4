"""The claim amount and the recoveries' flow-back, in integer fen."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lending import claims

FEN = st.integers(0, 10_000_000)
SHARE = st.decimals(0, 1, places=4)


def test_the_claim_is_80_percent_of_what_is_owed_half_up():
    c = claims.claim_amount(1_000_001, 12_345, 0, Decimal("0.80"))
    assert (c.claimable_base_fen, c.amount_fen) == (1_012_346, 809_877)  # 809,876.8 -> 809,877
    assert claims.claim_amount(1_000_000, 0, 250_000, Decimal("0.80")).amount_fen == 600_000


@given(FEN, FEN, FEN, SHARE)
def test_a_claim_is_never_negative_nor_more_than_the_share_of_principal_and_interest(
        principal, interest, recovered, share):
    c = claims.claim_amount(principal, interest, recovered, share)
    assert c.amount_fen >= 0
    # Half-up rounding may add at most half a fen to the share; never more.
    assert c.amount_fen <= share * (principal + interest) + Decimal("0.5")
    assert c.amount_fen <= principal + interest
    assert c.claimable_base_fen == principal + interest - recovered


@given(FEN, FEN, FEN, FEN)
def test_recoveries_only_ever_lower_the_claim(principal, interest, first, more):
    share = Decimal("0.80")
    before = claims.claim_amount(principal, interest, first, share).amount_fen
    assert claims.claim_amount(principal, interest, first + more, share).amount_fen <= before


@given(st.integers(0, 2000))
def test_the_claim_trigger_is_at_or_past_90_days(dpd):
    assert claims.in_default(dpd, 90) == (dpd >= 90)


@given(FEN, SHARE, FEN, FEN)
def test_the_fund_never_gets_back_more_than_it_paid(recovered, share, paid, returned):
    back = claims.recovery_fund_share_fen(recovered, share, paid, returned)
    assert 0 <= back <= max(0, paid - returned)
    assert back <= share * recovered + Decimal("0.5")
