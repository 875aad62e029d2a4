"""The hard rules that hold again on the day a loan is paid out, not only at assessment.

Between the assessment and the disbursement the household may change: a bad-credit flag
recorded, its status lost, the borrower past the age limit, another programme loan gone
overdue (or claimed and not recovered). The bank pays out only if these hold against the
household as it is on the disbursement date; the rules are the assessment's own
(`scoring.rules`), applied to an input dated that day.
"""

from scoring.inputs import AssessmentInput
from scoring.policy import Policy
from scoring.rules import RuleResult, borrower_age, household_status, no_bad_credit, no_overdue_loan

AT_DISBURSEMENT = (no_bad_credit, household_status, borrower_age, no_overdue_loan)


def failed_at_disbursement(inp: AssessmentInput, policy: Policy) -> list[RuleResult]:
    """The hard rules that do not hold on the input's date (an unknown value fails here too)."""
    # At assessment an unknown value refers the case to a person; on the day of payment
    # there is no one left to ask, so only a clear pass lets the money go.
    return [r for r in (rule(inp, policy) for rule in AT_DISBURSEMENT) if r.outcome != "pass"]
