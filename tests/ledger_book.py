"""A book for the 台账's tests, laid month by month on fixed business dates.

2025: a contribution of ¥500,000; PSBC lends ¥10,000 in 渔湖镇 (March) to a household of
three with a ¥50,000 AAA line (granted 2025-02-20), ABC ¥20,000 in 地都镇 (September) to a
household of four; snapshots of 2025-10, 2025-11 and 2025-12. 2026: PSBC lends ¥50,000 in
地都镇 (February), and ¥10,000 through the service (schedule and all) on 2026-01-05 in 渔湖镇;
a loan of PSBC 200 days late and one of ABC 45 days late; the 2026-10 snapshot. Then in
November 2026 (the period, TODAY = 2026-11-02): ABC lends ¥10,000 through the service on
2026-11-01, the January loan repays ¥1,000 of principal, the late PSBC loan's claim is paid and
¥1,000 of it recovered, and November's snapshot is taken on TODAY (as the worker takes the
month running once a business day). 2026-09 has no snapshot.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.fund import claims, recoveries, snapshots
from creditsvc.services.loans import servicing
from creditsvc.services.programme.policy import active_policy
from models import (
    CreditLine,
    Household,
    HouseholdMember,
    Loan,
    Rating,
    SubsidyLine,
    SubsidyPayment,
    SubsidyStatement,
)
from tests.books import fund_with
from tests.factories import LoanFactory, UserFactory
from tests.pages.bank_books import disbursed
from tests.today import TODAY
from tests.work import done

MANAGER = Principal(user_id=None, name="fm-ledger", role="fund_manager")
PSBC = Principal(user_id=None, name="psbc-ledger", role="bank", bank_code="PSBC")


@dataclass(frozen=True)
class Book:
    """The loans' ids by name."""

    a: str  # PSBC 渔湖镇 ¥10,000 (2025-03)
    b: str  # ABC 地都镇 ¥20,000 (2025-09)
    c: str  # PSBC 地都镇 ¥50,000 (2026-02)
    e: str  # PSBC 渔湖镇 ¥10,000 through the service (2026-01-05), repaid ¥1,000 in November
    f: str  # PSBC 渔湖镇 ¥5,000, 200 days late: claimed and recovered in November
    g: str  # ABC 渔湖镇 ¥8,000, 45 days late
    d: str  # ABC ¥10,000 through the service on 2026-11-01


def _members(household_id: str, n: int) -> None:
    db.session.add_all(HouseholdMember(household_id=household_id, position=i, relation="other")
                       for i in range(n))
    db.session.commit()


def _line(household_id: str, line_fen: int, granted_on: date) -> None:
    """The household's credit line (grade AAA), in force two years from GRANTED_ON."""
    user = UserFactory(name="ledger-officer").id
    rating = Rating(household_id=household_id, requested_amount_fen=line_fen, term_months=12,
                    purpose="planting", decision="approved", grade="AAA", score=85.0, pd=0.02,
                    line_fen=line_fen, policy_version=1, model_sha256="0" * 64, record={},
                    rated_by=user, rated_on=granted_on)
    db.session.add(rating)
    db.session.flush()
    home = db.session.get(Household, household_id)
    db.session.add(CreditLine(household_id=household_id, town=home.town, village=home.village,
                              rating_id=rating.id, grade="AAA",
                              line_fen=line_fen, valid_from=granted_on,
                              valid_until=granted_on.replace(year=granted_on.year + 2),
                              status="active", policy_version=1, model_sha256="0" * 64,
                              granted_by=user, granted_on=granted_on))
    db.session.commit()


def _subsidy_paid(loan_id: str, bank: str, year: int, quarter: int, subsidy_fen: int,
                  paid_on: date) -> None:
    """A quarter's statement with LOAN_ID's line of SUBSIDY_FEN, paid by the finance bureau on
    PAID_ON: the rows the subsidy book leaves (services/subsidy)."""
    statement = SubsidyStatement(number=f"TX-{bank}-{year}Q{quarter}", bank_code=bank, year=year,
                                 quarter=quarter, status="paid", policy_version=1, share="0.50",
                                 interest_paid_fen=2 * subsidy_fen,
                                 interest_counted_fen=2 * subsidy_fen, subsidy_fen=subsidy_fen,
                                 compiled_on=paid_on, announced_on=paid_on)
    statement.lines.append(SubsidyLine(loan_id=loan_id, principal_fen=1_000_000,
                                       interest_paid_fen=2 * subsidy_fen,
                                       interest_counted_fen=2 * subsidy_fen,
                                       subsidy_fen=subsidy_fen))
    db.session.add(statement)
    db.session.flush()
    db.session.add(SubsidyPayment(statement_id=statement.id, bank_code=bank, amount_fen=subsidy_fen,
                                  paid_on=paid_on, reference=f"CZ-{year}-{quarter}"))
    db.session.commit()


def _take(month: str, on: date) -> None:
    done(db.session, snapshots.take, MANAGER, month, today=on)


def lay_book() -> Book:
    """The book above, committed; returns its loans' ids."""
    session = db.session
    fund_with(session, 50_000_000, date(2025, 1, 2))
    a = LoanFactory(bank_code="PSBC", principal_fen=1_000_000, disbursed_on=date(2025, 3, 10),
                    maturity_on=date(2027, 3, 10), town="渔湖镇", village="东湖村", rate_bp=300)
    _members(a.household_id, 3)
    _line(a.household_id, 5_000_000, date(2025, 2, 20))
    # A's subsidy: ¥60.00 for 2026 Q2 paid on 2026-07-15, ¥75.00 for Q3 on 2026-10-20.
    _subsidy_paid(a.id, "PSBC", 2026, 2, 6_000, date(2026, 7, 15))
    _subsidy_paid(a.id, "PSBC", 2026, 3, 7_500, date(2026, 10, 20))
    b = LoanFactory(bank_code="ABC", principal_fen=2_000_000, disbursed_on=date(2025, 9, 15),
                    maturity_on=date(2027, 9, 15), town="地都镇", village="西田村", rate_bp=345)
    _members(b.household_id, 4)
    a_id, b_id = a.id, b.id
    _take("2025-10", date(2025, 10, 31))
    _take("2025-11", date(2025, 11, 30))
    _take("2025-12", date(2025, 12, 31))
    c = LoanFactory(bank_code="PSBC", principal_fen=5_000_000, disbursed_on=date(2026, 2, 1),
                    maturity_on=date(2028, 2, 1), town="地都镇", village="北山村", rate_bp=345)
    c_id = c.id
    e_id = disbursed("PSBC", on=date(2026, 1, 5))
    f = LoanFactory(bank_code="PSBC", principal_fen=500_000, days_past_due=200, town="渔湖镇",
                    village="东湖村")
    g = LoanFactory(bank_code="ABC", principal_fen=800_000, days_past_due=45, town="渔湖镇",
                    village="南溪村")
    f_id, g_id = f.id, g.id
    _take("2026-10", date(2026, 10, 31))
    d_id = disbursed("ABC", on=date(2026, 11, 1))
    done(session, servicing.repay, PSBC, session.get(Loan, e_id), principal=Decimal("1000.00"),
         interest=Decimal("0.00"), paid_on=TODAY, today=TODAY)
    rules = active_policy(session)
    claim = done(session, claims.file_claim, PSBC, session.get(Loan, f_id), rules, today=TODAY)
    done(session, claims.approve_claim, MANAGER, claim.id, rules, on=TODAY)
    done(session, recoveries.record_recovery, PSBC, session.get(Loan, f_id), 100_000, TODAY,
         today=TODAY)
    _take("2026-11", TODAY)
    session.close()
    return Book(a_id, b_id, c_id, e_id, f_id, g_id, d_id)
