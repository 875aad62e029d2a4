"""The disbursement race near the leverage cap, set up the same way for both engines.

Capital ¥10,000 and leverage 10 make a cap of ¥100,000. ABC already owes ¥40,000, so
¥60,000 is left, which is also PSBC's share (60%). 64 PSBC disbursements of ¥7,000 race
for it: exactly 8 fit, and the fund-wide check refuses the rest first.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.access import users
from creditsvc.services.loans import disbursement
from models import User
from tests.books import exposure_consistent, set_fund
from tests.conftest import ACTOR
from tests.factories import ApplicationFactory
from tests.work import done

RACERS = 64
AMOUNT = "7000.00"
EXPECTED_WINNERS = 8
TERMS = {"amount": AMOUNT, "disbursed_on": "2026-01-05", "annual_rate": "3.00",
         "schedule": "interest_quarterly"}


@dataclass(frozen=True)
class Race:
    """The bank key and the accepted applications that race."""

    psbc_key: str
    application_ids: list[str]


def prepare(app) -> Race:
    """Users, the fund, ABC's standing exposure and 64 accepted PSBC applications."""
    with app.app_context():
        session = db.session
        officer, _ = done(session, users.create_user, ACTOR, "race-officer", "officer")
        _, psbc_key = done(session, users.create_user, ACTOR, "race-psbc", "bank", "PSBC")
        done(session, users.create_user, ACTOR, "race-abc", "bank", "ABC")
        officer_id = session.execute(select(User.id).where(User.name == "race-officer")).scalar_one()
        abc_id = session.execute(select(User.id).where(User.name == "race-abc")).scalar_one()
        set_fund(session, 1_000_000)
        standing = ApplicationFactory(submitted_by=officer_id, bank_code="ABC", status="accepted",
                                      approved_amount_fen=4_000_000)
        done(session, disbursement.disburse, Principal(abc_id, "race-abc", "bank", "ABC"), standing,
             amount=Decimal("40000.00"), disbursed_on=date(2026, 1, 5),
             annual_rate=Decimal("3.00"), schedule_kind="interest_quarterly",
             today=date(2026, 1, 5))
        ids = [ApplicationFactory(submitted_by=officer_id, status="accepted", approved_amount_fen=700_000).id
               for _ in range(RACERS)]
        db.session.remove()
        db.engine.dispose()
    return Race(psbc_key, ids)


def check_outcome(app, statuses: list[tuple[int, dict]]) -> None:
    """Exactly the right number won, the rest were refused by the cap, none crashed."""

    codes = sorted((s, b.get("code")) for s, b in statuses)
    assert all(s < 500 for s, _ in codes), codes
    assert sum(s == 201 for s, _ in codes) == EXPECTED_WINNERS, codes
    assert {c for s, c in codes if s != 201} == {"leverage_cap_reached"}, codes
    with app.app_context():
        fund, summed, kept, per_bank = exposure_consistent(db.session)
        assert fund == summed == 4_000_000 + EXPECTED_WINNERS * 700_000
        assert kept == per_bank
        db.session.remove()
        db.engine.dispose()
