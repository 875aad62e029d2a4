"""Disbursement: an accepted application becomes a guaranteed loan with its schedule.

Every cap is checked in the same transaction as the write: the fund's leverage cap and
the bank's share (conditional UPDATEs in exposure.reserve), the household's headroom
(its row locked first on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises
writers), and the suspension conditions.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError, Conflict, Invalid
from creditsvc.core.money import from_fen, to_fen
from creditsvc.core.principal import Principal
from creditsvc.infra.clock import COUNTY
from creditsvc.services.assessment.inputs import (
    build_input,
    household_outstanding_fen,
    scoring_view,
)
from creditsvc.services.fund import exposure
from creditsvc.services.fund.account import suspension_reasons
from creditsvc.services.loans.numbers import next_number
from creditsvc.services.platform import audit
from creditsvc.services.programme import policy as programme
from lending import fund as fund_rules
from lending import schedule
from lending.dates import credit_line_in_force, in_future
from lending.eligibility import failed_at_disbursement
from lending.headroom import above_maximum, below_minimum, fits_household_cap
from models import Application, Fund, Household, Loan, ScheduleItem
from scoring.decision import credit_line_expires_on
from scoring.policy import Policy, PolicyError


def rate_bp(rate_percent: Decimal) -> int:
    """An annual rate given in percent with at most two decimals, as basis points."""
    bp = rate_percent * 100
    if bp != bp.to_integral_value() or bp <= 0:
        raise Invalid("invalid_rate", fields=("annual_rate",))
    return int(bp)


def check_not_suspended(session: Session, policy: Policy) -> None:
    """Lending pauses when the NPL ratio reaches tolerance or the balance falls under the floor."""
    fund = session.execute(select(Fund).where(Fund.id == 1)).scalar_one()
    reasons = suspension_reasons(fund, policy)
    if fund_rules.NOT_INITIALISED in reasons:
        raise Conflict("fund_not_initialised")
    if fund_rules.NPL_TOLERANCE_REACHED in reasons:
        raise Conflict("lending_suspended_npl")
    if fund_rules.BALANCE_BELOW_FLOOR in reasons:
        raise Conflict("lending_suspended_balance")


def check_household_headroom(session: Session, household_id: str, amount_fen: int,
                             policy: Policy) -> None:
    """The household's outstanding programme principal plus this loan within the cap."""
    # Locks the household row on PostgreSQL so that two disbursements to one household
    # cannot both pass on the same sum (a no-op on SQLite, whose writers are serialised).
    session.execute(select(Household.id).where(Household.id == household_id).with_for_update())
    outstanding = household_outstanding_fen(session, household_id)
    if not fits_household_cap(policy, outstanding, amount_fen):
        raise Conflict("household_cap_reached", fields=("amount",), cap=f"{policy.household_cap:.2f}",
                       owed=f"{from_fen(outstanding):.2f}")


def _check_dates(app: Application, policy: Policy, on: date, today: date) -> None:
    """A disbursement is dated between the bank's acceptance and today, inside the credit line."""
    if in_future(on, today):
        raise Invalid("date_in_future", fields=("disbursed_on",), today=today.isoformat())
    accepted_on = acceptance_date(app)
    if accepted_on is not None and on < accepted_on:
        raise Invalid("before_acceptance", fields=("disbursed_on",),
                      accepted_on=accepted_on.isoformat())
    expires_on = line_expires_on(app, policy)
    if not credit_line_in_force(expires_on, on):
        raise Conflict("credit_line_expired", fields=("disbursed_on",), expired_on=expires_on.isoformat())


def acceptance_date(app: Application) -> date | None:
    """The business date the bank accepted (rows from before it was kept: the county's date)."""
    if app.accepted_on is not None:
        return app.accepted_on
    if app.bank_decided_at is not None:
        return app.bank_decided_at.astimezone(COUNTY).date()
    return None


def line_expires_on(app: Application, policy: Policy) -> date:
    """The last day of the application's credit line: its application date + the line's years."""
    request = (app.assessment or {}).get("input", {}).get("request", {})
    applied = (date.fromisoformat(request["application_date"]) if "application_date" in request
               else app.created_at.astimezone(COUNTY).date())
    return credit_line_expires_on(applied, policy.credit_line_years)


def check_hard_rules(session: Session, app: Application, policy: Policy, amount: Decimal,
                     on: date) -> None:
    """Bad-credit flag, status, age and overdue loans, against the household as it is on ON."""
    inp = build_input(scoring_view(session, app.household_id), amount=amount,
                      term_months=app.term_months, purpose=app.purpose, on=on)
    failed = failed_at_disbursement(inp, policy)
    if failed:
        raise Conflict("hard_rule_failed", errors={r.id: [r.text_en] for r in failed})


def _check_amount(app, policy: Policy, amount_fen: int) -> None:
    if below_minimum(policy, amount_fen):
        raise Invalid("amount_below_minimum", fields=("amount",), least=f"{policy.amount_min:.2f}")
    if above_maximum(policy, amount_fen):
        raise Invalid("amount_above_maximum", fields=("amount",), most=f"{policy.amount_max:.2f}")
    if amount_fen > app.approved_amount_fen:
        raise Invalid("amount_above_approved", fields=("amount",),
                      approved=f"{from_fen(app.approved_amount_fen):.2f}")


def _check_rate(app, policy: Policy, bp: int, on: date) -> None:
    try:
        cap = policy.lpr_cap(app.term_months, on) * 10000
    except PolicyError as exc:  # a date before the first LPR the policy knows
        raise Invalid("no_lpr_for_date", fields=("disbursed_on",), day=on.isoformat()) from exc
    if bp > cap:
        raise Invalid("rate_above_cap", fields=("annual_rate",), cap=f"{cap / 100:.2f}")


def term_refusals(session: Session, app: Application, *, amount: Decimal, disbursed_on: date,
                  annual_rate: Decimal, today: date) -> list[AppError]:
    """Every refusal the typed terms meet, one per field, so that a form shows them together.

    The same checks `disburse` makes on the terms (dates, amount, rate), without a write.
    """
    policy = programme.active_policy(session)
    refusals: list[AppError] = []
    checks = [lambda: _check_dates(app, policy, disbursed_on, today),
              lambda: _check_amount(app, policy, to_fen(amount)),
              lambda: _check_rate(app, policy, rate_bp(annual_rate), disbursed_on)]
    for check in checks:
        try:
            check()
        except AppError as exc:
            if not any(set(exc.fields) & set(seen.fields) for seen in refusals):
                refusals.append(exc)
    return refusals


def disburse(session: Session, actor: Principal, app: Application, *, amount: Decimal,
             disbursed_on: date, annual_rate: Decimal, schedule_kind: str, today: date) -> Loan:
    """Turn an accepted application (loaded locked) into a loan within every cap.

    TODAY is the business date: the loan is dated between the bank's acceptance and today,
    inside the credit line, and the hard rules hold against the household on that date.
    """
    if app.status != "accepted":
        raise Conflict("invalid_transition")
    policy = programme.active_policy(session)
    amount_fen, bp = to_fen(amount), rate_bp(annual_rate)
    _check_dates(app, policy, disbursed_on, today)
    _check_amount(app, policy, amount_fen)
    _check_rate(app, policy, bp, disbursed_on)
    check_not_suspended(session, policy)
    check_household_headroom(session, app.household_id, amount_fen, policy)
    check_hard_rules(session, app, policy, amount, disbursed_on)
    share_bp = fund_rules.bank_share_bp(policy, app.bank_code)
    exposure.reserve(session, app.bank_code, amount_fen, leverage=policy.leverage,
                     bank_share_bp=share_bp)
    items = schedule.build(schedule_kind, amount_fen, bp, disbursed_on, app.term_months)
    # Last of the checks: a refused disbursement never holds the bank's counter.
    number = next_number(session, app.bank_code, disbursed_on.year)
    loan = Loan(application_id=app.id, number=number, household_id=app.household_id,
                bank_code=app.bank_code,
                principal_fen=amount_fen, outstanding_principal_fen=amount_fen,
                accrued_interest_unpaid_fen=0, rate_bp=bp, term_months=app.term_months,
                schedule_kind=schedule_kind, disbursed_on=disbursed_on,
                maturity_on=items[-1].due_on, status="active", days_past_due=0,
                classification="正常", extension_months=0, subsidy_cancelled=False,
                policy_version=policy.version, pd=app.pd, grade=app.grade,
                purpose=app.purpose, town=app.town, village=app.village,
                schedule=[ScheduleItem(seq=i.seq, due_on=i.due_on, principal_fen=i.principal_fen,
                                       interest_fen=i.interest_fen, paid_principal_fen=0,
                                       paid_interest_fen=0) for i in items])
    app.status = "disbursed"
    session.add(loan)
    session.flush()
    audit.record(session, actor, "loan.disburse", target_type="loan", target_id=loan.id,
                 before={"outstanding_principal_fen": 0},
                 after={"principal_fen": amount_fen, "outstanding_principal_fen": amount_fen},
                 detail={"application_id": app.id, "number": number, "rate_bp": bp, "schedule": schedule_kind,
                         "policy_version": policy.version})
    return loan
