"""The figures of the papers about loans: the 代偿申请表 of a claim and the 还款计划表.

A claim's calculation is the one the claim service computed and stored when it was filed
(`Claim.computation`, and `approval_computation` once approved): the paper copies it, never
computes it again. A bank sees only its own (404 otherwise, as for the API).
"""

from sqlalchemy.orm import Session

from creditsvc.core.money import fmt_yuan
from creditsvc.core.principal import Principal
from creditsvc.services.fund.claims import get_claim
from creditsvc.services.households.files import get_household
from creditsvc.services.loans.reading import get_loan, loan_detail
from creditsvc.services.papers.documents import household_figures
from creditsvc.services.papers.render import PaperKind
from models import Loan

CLAIM_FORM = PaperKind("claim_form", "DC", "papers/claim_form.html", "代偿申请表")
SCHEDULE = PaperKind("repayment_schedule", "HK", "papers/schedule.html", "还款计划表")


def loan_figures(loan: Loan) -> dict:
    """The loan's terms and its position as the API gives them."""
    return {"id": loan.id, "number": loan.number, "bank": loan.bank_code,
            "principal": fmt_yuan(loan.principal_fen),
            "outstanding_principal": fmt_yuan(loan.outstanding_principal_fen),
            "accrued_unpaid_interest": fmt_yuan(loan.accrued_interest_unpaid_fen),
            "annual_rate": f"{loan.rate_bp / 100:.2f}", "term_months": loan.term_months,
            "schedule_kind": loan.schedule_kind, "disbursed_on": loan.disbursed_on.isoformat(),
            "maturity_on": loan.maturity_on.isoformat(), "status": loan.status,
            "days_past_due": loan.days_past_due, "classification": loan.classification,
            "purpose": loan.purpose}


def _history(session: Session, actor: Principal, loan_id: str) -> dict:
    detail = loan_detail(session, actor, loan_id)
    return {
        "repayments": [{"paid_on": r.paid_on.isoformat(), "principal": fmt_yuan(r.principal_fen),
                        "interest": fmt_yuan(r.interest_fen)} for r in detail["repayments"]],
        "status_reports": [{"as_of": s.as_of.isoformat(), "days_past_due": s.days_past_due,
                            "classification": s.classification,
                            "superseded": s.superseded_at is not None}
                           for s in detail["status_reports"]],
    }


def claim_form(session: Session, actor: Principal, claim_id: str) -> dict:
    """The 代偿申请表: the claim's stored calculation, the loan and its history."""
    claim = get_claim(session, actor, claim_id)
    loan = get_loan(session, actor, claim.loan_id)
    approval = claim.approval_computation
    return {
        "claim": {"id": claim.id, "status": claim.status, "amount": fmt_yuan(claim.amount_fen),
                  "amount_filed": fmt_yuan(claim.filed_amount_fen),
                  "amount_at_approval": approval["amount"] if approval else None,
                  "days_past_due": claim.days_past_due, "policy_version": claim.policy_version,
                  "filed_on": claim.filed_on.isoformat(),
                  "computation": claim.computation},
        "loan": loan_figures(loan),
        "household": household_figures(get_household(session, loan.household_id)),
        **_history(session, actor, loan.id),
    }


def schedule(session: Session, actor: Principal, loan_id: str) -> dict:
    """The 还款计划表: the loan's terms and every instalment, due and paid, with totals."""
    loan = get_loan(session, actor, loan_id)
    items = [{"seq": i.seq, "due_on": i.due_on.isoformat(), "principal": fmt_yuan(i.principal_fen),
              "interest": fmt_yuan(i.interest_fen),
              "paid_principal": fmt_yuan(i.paid_principal_fen),
              "paid_interest": fmt_yuan(i.paid_interest_fen)} for i in loan.schedule]
    total = {k: fmt_yuan(sum(getattr(i, f"{k}_fen") for i in loan.schedule))
             for k in ("principal", "interest", "paid_principal", "paid_interest")}
    return {"loan": loan_figures(loan),
            "household": household_figures(get_household(session, loan.household_id)),
            "schedule": items, "total": total}
