"""Which actions a loan's state allows: the loan page shows only those buttons and forms."""

from datetime import date

from lending.claims import in_default
from models import Claim, Loan


def allowed_actions(loan: Loan, standing: Claim | None, today: date, trigger_dpd: int) -> set[str]:
    """The servicing a bank may do on LOAN now (STANDING: its claim that stands, if any)."""
    if loan.status == "claimed":
        return {"recovery"} if standing is not None and standing.status == "paid" else set()
    if loan.status != "active":
        return set()  # repaid or written off: nothing more to do
    actions = {"repayment", "status_report"}
    if not loan.extension_months and today < loan.maturity_on:
        actions.add("extension")
    if loan.subsidy_cancelled_reason != "diverted":
        actions.add("diversion")
    if standing is None and in_default(loan.days_past_due, trigger_dpd):
        actions.add("claim")
    return actions

