"""A mixed bank feed and the state it leaves, for comparing the set-based and row paths."""

from datetime import date, timedelta

from sqlalchemy import select

from creditsvc.core.principal import Principal
from creditsvc.services.access import users
from creditsvc.services.fund import exposure
from lending.dates import maturity
from models import ExposureTotal, Fund, Loan, Repayment, StatusReport
from tests.books import fund_with, set_days_past_due
from tests.conftest import ACTOR
from tests.factories import LoanFactory


def bank_actor(session, bank: str = "PSBC") -> Principal:
    """A bank user (the feed's recorded_by) as the acting principal."""
    user, _ = users.create_user(session, ACTOR, f"feed-{bank.lower()}", "bank", bank)
    session.commit()
    return Principal(user_id=user.id, name=user.name, role="bank", bank_code=bank)


def mixed_feed(session) -> list[tuple[str, date, int]]:
    """Loans in every state a feed meets, and rows for them that exercise every rule."""
    fund_with(session, 1_000_000_000)
    plain, npl, extended, repaid, diverted, paid = (
        LoanFactory(principal_fen=100_000 * (i + 1)) for i in range(6))
    other = LoanFactory(bank_code="ABC", principal_fen=50_000)
    set_days_past_due(session, npl, 120)  # already 次级: leaves the NPL classes below
    extended.extension_months = 6  # 展期: six months past the original maturity
    extended.maturity_on = maturity(extended.disbursed_on, extended.term_months + 6)
    exposure.release(session, "PSBC", repaid.outstanding_principal_fen)
    repaid.status, repaid.outstanding_principal_fen = "repaid", 0
    diverted.subsidy_cancelled, diverted.subsidy_cancelled_reason = True, "diverted"
    session.add(Repayment(loan_id=paid.id, paid_on=paid.disbursed_on + timedelta(days=90),
                          principal_fen=20_000, interest_fen=700, contract_interest_fen=700))
    paid.outstanding_principal_fen -= 20_000
    exposure.release(session, "PSBC", 20_000)
    session.commit()
    start = extended.maturity_on - timedelta(days=150)
    d = npl.dpd_as_of
    return [
        (plain.id, date(2026, 1, 31), 10),
        (plain.id, date(2026, 3, 31), 95),  # 关注 -> 次级: into NPL
        (plain.id, date(2026, 2, 28), 40),  # stale: older than the row before
        (plain.id, date(2026, 3, 31), 0),  # same day again is not stale; back to 正常
        ("no-such-loan", date(2026, 3, 31), 1),
        (other.id, date(2026, 3, 31), 400),  # another bank's: not found
        (repaid.id, date(2026, 3, 31), 5),  # closed
        (npl.id, d - timedelta(days=1), 0),  # stale against the stored last report
        (npl.id, d, 0),  # leaves NPL
        (extended.id, start + timedelta(days=60), 200),  # mostly inside the extension
        (extended.id, extended.maturity_on + timedelta(days=100), 300),
        (diverted.id, date(2026, 3, 31), 30),  # subsidy stays cancelled as diverted
        (paid.id, paid.disbursed_on - timedelta(days=1), 3),  # before disbursement: stale
        (paid.id, date(2026, 3, 31), 150),  # within the days since its first due date
        (plain.id, date(2026, 8, 31), 300),  # 可疑 (the loan is old enough for 300 days)
    ]


def book_state(session) -> dict:
    """Everything a feed changes: loans, status reports in order, the NPL total, exposure."""
    loans = {loan.id: (loan.days_past_due, loan.dpd_as_of, loan.classification,
                       loan.accrued_interest_unpaid_fen, loan.subsidy_cancelled,
                       loan.subsidy_cancelled_reason, loan.subsidy_cancelled_on, loan.status)
             for loan in session.execute(select(Loan).execution_options(populate_existing=True))
             .scalars()}
    reports = session.execute(select(StatusReport.loan_id, StatusReport.as_of,
                                     StatusReport.days_past_due, StatusReport.classification,
                                     StatusReport.recorded_by)
                              .order_by(StatusReport.loan_id, StatusReport.recorded_at)).all()
    totals = session.execute(select(ExposureTotal.dimension, ExposureTotal.key, ExposureTotal.loans,
                                    ExposureTotal.outstanding_fen)
                             .order_by(ExposureTotal.dimension, ExposureTotal.key)).all()
    npl = session.execute(select(Fund.npl_outstanding_fen)).scalar_one()
    return {"loans": loans, "reports": [tuple(r) for r in reports],
            "totals": [tuple(t) for t in totals], "npl": npl}
