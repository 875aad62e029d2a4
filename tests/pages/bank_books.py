"""The bank desk's test data: a funded fund, applications routed to a bank, loans in each state."""

from datetime import date, timedelta

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.fund import claims
from creditsvc.services.programme.policy import active_policy
from tests.books import set_fund
from tests.factories import ApplicationFactory, LoanFactory
from tests.pages.people import csrf_of
from tests.today import TODAY
from tests.work import done

ASSESSMENT = {
    "rules": [{"id": "age", "text_zh": "借款人年龄须在18至65周岁之间", "text_en": "age 18 to 65",
               "value": 46, "threshold": [18, 65], "outcome": "pass"}],
    "reasons": [{"code": "R01", "feature": "per_capita_income", "text_zh": "人均纯收入偏低",
                 "text_en": "low income", "shortfall": 3.5}],
    "points": [{"feature": "per_capita_income", "value": 6800, "bin": "x", "points": 8.5,
                "max_points": 12.0}],
    "decision_reasons": [{"code": "approved", "text_zh": "评级AAA，授信额度50000元",
                          "text_en": "grade AAA"}],
    "limit": "50000.00", "input": {"request": {"application_date": "2026-01-05"}},
}


def funded(capital_fen: int = 50_000_000) -> None:
    """The fund with its capital (¥500,000 by default) and the same balance."""
    set_fund(db.session, capital_fen)


def approved(bank: str = "PSBC", **kw):
    """The id of an approved application routed to BANK, with an assessment to show."""
    kw.setdefault("assessment", ASSESSMENT)
    app_id = ApplicationFactory(bank_code=bank, **kw).id
    db.session.close()
    return app_id


def accepted(bank: str = "PSBC", **kw):
    """The id of an application BANK accepted (on 2026-01-05), ready to disburse."""
    return approved(bank, status="accepted", **kw)


def loan(bank: str = "PSBC", dpd: int | None = None, **kw):
    """The id of an active loan of BANK (¥10,000, 12 months), DPD days past due when given."""
    made = LoanFactory(bank_code=bank, days_past_due=dpd, **kw)
    loan_id = made.id
    db.session.close()
    return loan_id


def current_loan(bank: str = "PSBC", **kw):
    """An active loan not yet at maturity (so it may still be extended)."""
    today = TODAY
    return loan(bank, disbursed_on=today - timedelta(days=100),
                maturity_on=today + timedelta(days=265), **kw)


def paid_claim(loan_id: str, bank: str = "PSBC"):
    """A claim filed by BANK on the loan and paid by the fund (the loan becomes claimed)."""
    from models import Loan
    filer = Principal(None, "bank-test", "bank", bank)
    manager = Principal(None, "fund-test", "fund_manager")
    rules = active_policy(db.session)
    claim = done(db.session, claims.file_claim, filer, db.session.get(Loan, loan_id), rules, today=TODAY)
    paid = done(db.session, claims.approve_claim, manager, claim.id, rules, on=TODAY)
    claim_id = paid.id
    db.session.close()
    return claim_id


def post(client, path, data=None, page="/bank"):
    """Post a form as the page would: with the CSRF token of PAGE."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_of(client.get(page))})


def token_of(response) -> str:
    """The form token a page rendered (the first one)."""
    import re
    return re.search(r'name="form_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def disbursed(bank: str = "PSBC", on: date = date(2026, 1, 5)) -> str:
    """The id of a ¥10,000 12-month loan paid out through the service on ON (quarterly interest)."""
    from decimal import Decimal

    from creditsvc.services.loans import disbursement
    from models import Application
    app = db.session.get(Application, accepted(bank))
    made = done(db.session, disbursement.disburse, Principal(None, "maker", "bank", bank), app,
                amount=Decimal("10000.00"), disbursed_on=on, annual_rate=Decimal("3.00"),
                schedule_kind="interest_quarterly", today=on)
    loan_id = made.id
    db.session.close()
    return loan_id
