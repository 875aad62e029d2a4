"""The household's outstanding principal (one definition) and its headroom under the cap."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lending import headroom
from lending.headroom import LoanBalance
from scoring.policy import Policy

POLICY = Policy()
CAP = 5_000_000
FEN = st.integers(0, 6_000_000)
LOAN = st.builds(LoanBalance, st.sampled_from(["active", "repaid", "claimed", "written_off"]),
                 FEN, st.integers(0, 300_000), st.integers(0, 7_000_000))


def test_what_counts_active_and_claimed_loans_not_repaid_or_recovered_ones():
    assert headroom.principal_owed_fen(LoanBalance("active", 1_000_000)) == 1_000_000
    assert headroom.principal_owed_fen(LoanBalance("repaid", 0)) == 0
    # The fund's claim shares the bank's loss; the borrower still owes the principal.
    assert headroom.principal_owed_fen(LoanBalance("claimed", 1_000_000, 20_000)) == 1_000_000
    # Recoveries pay the interest first, then the principal.
    assert headroom.principal_owed_fen(LoanBalance("claimed", 1_000_000, 20_000, 120_000)) == 900_000
    assert headroom.principal_owed_fen(LoanBalance("written_off", 1_000_000, 20_000, 1_020_000)) == 0
    book = [LoanBalance("active", 2_000_000), LoanBalance("claimed", 2_500_000),
            LoanBalance("repaid", 0)]
    assert headroom.household_outstanding_fen(book) == 4_500_000
    assert headroom.headroom_fen(POLICY, 4_500_000) == 500_000


@given(LOAN)
def test_a_loan_never_owes_more_than_its_outstanding_principal_nor_less_than_zero(loan):
    assert 0 <= headroom.principal_owed_fen(loan) <= loan.outstanding_principal_fen


@given(st.lists(LOAN, max_size=6))
def test_the_household_outstanding_is_the_sum_of_its_loans(loans):
    assert headroom.household_outstanding_fen(loans) == sum(map(headroom.principal_owed_fen, loans))


@given(FEN)
def test_headroom_is_never_negative(outstanding):
    room = headroom.headroom_fen(POLICY, outstanding)
    assert room >= 0 and room == max(0, CAP - outstanding)


@given(FEN, st.integers(1, 6_000_000))
def test_a_loan_within_headroom_keeps_the_household_under_the_cap(outstanding, amount):
    within = amount <= headroom.headroom_fen(POLICY, outstanding)
    assert within == headroom.fits_household_cap(POLICY, outstanding, amount)
    if within:
        assert outstanding + amount <= CAP


@given(st.integers(100_000, 6_000_000), st.sampled_from([None, Decimal(50000), Decimal(30000),
                                                        Decimal(10000)]), FEN)
def test_the_review_cap_is_the_least_of_its_limits(requested, limit, outstanding):
    cap = headroom.review_cap_fen(POLICY, requested, limit, outstanding)
    # An unrated application (no limit) has no limit of its own: the policy's maximum bounds it.
    limit_fen = int((limit if limit is not None else Decimal(50000)) * 100)
    assert cap == min(requested, limit_fen, 5_000_000, max(0, CAP - outstanding))
    assert cap <= 0 or headroom.fits_household_cap(POLICY, outstanding, cap)


def test_the_assessment_uses_the_same_cap_rule_in_yuan():
    from scoring.caps import approval_cap, household_headroom, within_household_cap

    room = household_headroom(Decimal("50000"), Decimal("60000.00"))
    assert room == 0 and isinstance(room, Decimal)  # over the cap: no room, not less
    assert household_headroom(Decimal("50000"), Decimal("45000.00")) == Decimal("5000.00")
    assert within_household_cap(Decimal("50000"), Decimal("45000.00"), Decimal("5000.00"))
    assert not within_household_cap(Decimal("50000"), Decimal("45000.00"), Decimal("5000.01"))
    assert approval_cap(Decimal(20000), Decimal(30000), Decimal(50000), Decimal(8000)) == 8000


def test_an_unrated_application_is_bounded_by_what_was_asked_not_the_lowest_grade():
    assert headroom.review_cap_fen(POLICY, 2_000_000, None, 0) == 2_000_000
    assert headroom.review_cap_fen(POLICY, 6_000_000, None, 0) == 5_000_000
    assert headroom.review_cap_fen(POLICY, 2_000_000, None, 4_500_000) == 500_000


def test_the_loan_bounds_are_inclusive():
    assert headroom.below_minimum(POLICY, 99_999) and not headroom.below_minimum(POLICY, 100_000)
    assert headroom.above_maximum(POLICY, 5_000_001)
    assert not headroom.above_maximum(POLICY, 5_000_000)


@given(LOAN, st.integers(0, 400))
def test_a_loan_counts_as_overdue_while_past_due_or_claimed_and_not_recovered(loan, dpd):
    loan = LoanBalance(loan.status, loan.outstanding_principal_fen,
                       loan.accrued_interest_unpaid_fen, loan.recovered_fen, dpd)
    if loan.status == "active":
        assert headroom.overdue(loan) == (dpd > 0)
    elif loan.status == "repaid":
        assert not headroom.overdue(loan)
    else:
        assert headroom.overdue(loan) == (headroom.principal_owed_fen(loan) > 0)


def test_a_claimed_loan_stops_counting_as_overdue_once_recoveries_cover_it():
    owed = LoanBalance("claimed", 1_000_000, 20_000, 1_019_999)
    assert headroom.overdue(owed) and headroom.principal_owed_fen(owed) == 1
    assert not headroom.overdue(LoanBalance("claimed", 1_000_000, 20_000, 1_020_000))
