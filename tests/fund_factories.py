"""Rows for fund tests, inserted directly with the models (the lifecycle API is built in parallel).

`disburse` inserts a household, an application and an active loan and reserves its
principal in the exposure, as a disbursement does; `set_days_past_due` moves a loan's
classification and the fund's NPL total, as a bank's status report does.
"""

import itertools
import uuid
from datetime import date, timedelta

from sqlalchemy import select

from creditsvc.core.principal import Principal
from creditsvc.services import exposure, fund
from lending import schedule
from lending.classification import NON_PERFORMING as NPL_CLASSES
from lending.classification import classify
from lending.fund import bank_share
from models import Application, Household, Loan, ScheduleItem, User
from scoring.policy import Policy
from tests.work import done

SYSTEM = Principal(user_id=None, name="factory", role="admin")
_seq = itertools.count(1)
DEFAULT_RULES = Policy()


def _officer(session) -> str:
    uid = session.execute(select(User.id).where(User.name == "factory-officer")).scalar()
    if uid is None:
        user = User(name="factory-officer", role="officer")
        session.add(user)
        session.flush()
        uid = user.id
    return uid


def household_row(town: str = "渔湖镇", village: str = "东湖村") -> Household:
    n = next(_seq)
    return Household(town=town, village=village, head_name_enc="x", head_name_masked="陈*",
                     id_number_enc="x", id_number_hash=uuid.uuid4().hex + f"{n:032d}"[:32],
                     id_number_masked="4405**********0014", head_birth_date=date(1980, 5, 17),
                     status="registered_poor", income_sources=[])


def disburse(session, *, bank: str = "PSBC", principal_fen: int = 1_000_000, pd: float = 0.05,
             town: str = "渔湖镇", village: str = "东湖村", grade: str = "AA",
             purpose: str = "planting", accrued_fen: int = 0,
             rules: Policy = DEFAULT_RULES, commit: bool = True) -> Loan:
    """An active loan with its exposure reserved (raises 409 past the caps)."""
    h = household_row(town, village)
    session.add(h)
    session.flush()
    app = Application(household_id=h.id, bank_code=bank, submitted_by=_officer(session),
                      amount_fen=principal_fen, term_months=12, purpose=purpose, status="disbursed",
                      decision="approved", approved_amount_fen=principal_fen, grade=grade, pd=pd,
                      policy_version=rules.version, model_sha256="0" * 64, assessment={},
                      town=town, village=village)
    session.add(app)
    session.flush()
    today = date.today()
    loan = Loan(application_id=app.id, household_id=h.id, bank_code=bank,
                principal_fen=principal_fen, outstanding_principal_fen=principal_fen,
                accrued_interest_unpaid_fen=accrued_fen, rate_bp=300, term_months=12,
                schedule_kind="interest_quarterly", disbursed_on=today - timedelta(days=400),
                maturity_on=today - timedelta(days=35), status="active", days_past_due=0,
                classification="正常", policy_version=rules.version, pd=pd, grade=grade,
                purpose=purpose, town=town, village=village,
                schedule=[ScheduleItem(seq=i.seq, due_on=i.due_on, principal_fen=i.principal_fen,
                                       interest_fen=i.interest_fen, paid_principal_fen=0,
                                       paid_interest_fen=0)
                          for i in schedule.build("interest_quarterly", principal_fen, 300,
                                                  today - timedelta(days=400), 12)])
    session.add(loan)
    session.flush()
    exposure.reserve(session, bank, principal_fen, leverage=rules.leverage,
                     bank_share_bp=int(bank_share(rules, bank) * 10000))
    if commit:
        session.commit()
    return loan


def set_days_past_due(session, loan: Loan, dpd: int, *, commit: bool = True) -> Loan:
    """A bank's status report: days past due, classification and the NPL total."""
    was_npl = loan.classification in NPL_CLASSES
    loan.days_past_due, loan.classification, loan.dpd_as_of = dpd, classify(dpd), date.today()
    now_npl = loan.classification in NPL_CLASSES
    if loan.status == "active" and was_npl != now_npl:
        exposure.move_npl(session, loan.outstanding_principal_fen * (1 if now_npl else -1))
    if commit:
        session.commit()
    return loan


def defaulted_loan(session, *, dpd: int = 120, **kw) -> Loan:
    """An active loan DPD days past due."""
    loan = disburse(session, commit=False, **kw)
    return set_days_past_due(session, loan, dpd)


def fund_with(session, amount_fen: int, on: date | None = None) -> None:
    """Contribute AMOUNT to the fund (capital and balance)."""
    done(session, fund.contribute, SYSTEM, amount_fen, on or date.today(), "test capital")
