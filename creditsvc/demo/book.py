"""The demo zone's loan book, made through the services themselves (fixed seed).

The fund receives its ¥500,000 capital (`fund.initialise`, as `flask fund init` does); about
a fifth of the demo households apply during 2025 (amounts ¥3,000-¥30,000, terms 12-36
months, productive purposes); the routed bank accepts nine in ten approvals and disburses
the same day at the LPR cap; most loans stay current, some fall behind, a few default past
90 days and their banks claim on the fund, and the fund manager pays some of those claims.
Every step is audited as it would be in production, and each is taken on its own business
date (the `today` every service takes), so the book lives through 2025-2026 under the same
date rules as a real one: nothing dated after its day, no arrears before the first due date.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError
from creditsvc.core.money import from_fen
from creditsvc.core.principal import Principal
from creditsvc.services.fund import account as fund
from creditsvc.services.fund import claims
from creditsvc.services.loans import applications, disbursement, status_reports
from creditsvc.services.platform.uow import UnitOfWork
from creditsvc.services.programme.policy import active_policy
from models import Household
from scoring.vocab import ALLOWED_PURPOSES

START = date(2025, 2, 1)


def _step(session: Session, work, *args, **kwargs):
    """One step of the book in its own unit of work, as each would be one request in production."""
    with UnitOfWork(session) as uow:
        result = work(session, *args, **kwargs)
        uow.commit()
    return result


def load_book(session: Session, people: dict[str, Principal], *, share: float = 0.2,
              seed: int = 20261128) -> dict[str, int]:
    """Fund, applications, loans, arrears and claims; returns counts of what was made."""
    rng = random.Random(seed)
    policy = active_policy(session)
    _step(session, fund.initialise, people["fund_manager"], policy, date(2025, 1, 2))
    ids = session.execute(select(Household.id).order_by(Household.created_at, Household.id)).scalars()
    picked = [h for h in ids if rng.random() < share]
    dates = sorted(START + timedelta(days=rng.randint(0, 300)) for _ in picked)
    counts = {"applications": 0, "loans": 0, "late": 0, "claims": 0, "paid_claims": 0, "refused": 0}
    for hid, on in zip(picked, dates, strict=True):
        bank = "PSBC" if rng.random() < 0.6 else "ABC"
        term = rng.choice([12, 12, 24, 36])
        app = _step(
            session, applications.submit, people["officer"], household_id=hid, on=on, term_months=term,
            amount=Decimal(rng.choice([3000, 5000, 8000, 10000, 15000, 20000, 30000])),
            purpose=rng.choice(ALLOWED_PURPOSES), bank=bank)
        counts["applications"] += 1
        if app.status != "approved":
            continue
        banker = people[bank]
        if rng.random() < 0.1:
            _step(session, applications.bank_decision, banker, app, accept=False,
                  reason="household moved away (demo)", today=on)
            continue
        _step(session, applications.bank_decision, banker, app, accept=True,
              reason="due diligence done", today=on)
        try:
            loan = _step(
                session, disbursement.disburse, banker, app, amount=from_fen(app.approved_amount_fen),
                disbursed_on=on,
                annual_rate=policy.lpr_cap(term, on) * 100,
                schedule_kind=rng.choice(["interest_quarterly", "interest_quarterly",
                                          "equal_instalments"]), today=on)
        except AppError:  # a cap or a suspension refused it, as it would in production
            counts["refused"] += 1
            continue
        counts["loans"] += 1
        _service(session, people, banker, loan, on, rng, policy, counts)
    return counts


def _service(session, people, banker, loan, on, rng, policy, counts) -> None:
    """Arrears for some loans; a claim, sometimes paid, for those 90+ days past due."""
    # Days past due count from the first due date (a month or a quarter after disbursement).
    first_due = loan.schedule[0].due_on
    roll = rng.random()
    if roll < 0.05:
        as_of = first_due + timedelta(days=rng.randint(95, 150))
        _step(session, status_reports.report_status, banker, loan, as_of=as_of,
              days_past_due=(as_of - first_due).days, today=as_of)
        claim = _step(session, claims.file_claim, banker, loan, policy, today=as_of)
        counts["claims"] += 1
        if rng.random() < 0.5:
            _step(session, claims.approve_claim, people["fund_manager"], claim.id, policy,
                  on=as_of + timedelta(days=20))
            counts["paid_claims"] += 1
    elif roll < 0.15:
        late = rng.randint(1, 60)
        as_of = first_due + timedelta(days=late)
        _step(session, status_reports.report_status, banker, loan, as_of=as_of, days_past_due=late,
              today=as_of)
        counts["late"] += 1
