"""A seeded fund with filed claims, for the fund's concurrency tests."""

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.access import users
from creditsvc.services.fund import claims
from scoring.policy import Policy
from tests.books import fund_with
from tests.conftest import ACTOR
from tests.factories import LoanFactory
from tests.today import TODAY
from tests.work import done


def seed(app, *, fund_fen: int, claims_n: int, claim_fen: int) -> tuple[list[str], str]:
    """Fund the fund, file CLAIMS_N claims of CLAIM_FEN on defaulted loans of both banks.

    Returns the claim ids and a fund manager's API key.
    """
    rules = Policy()
    principal = int(claim_fen / rules.fund_loss_share)
    with app.app_context():
        fund_with(db.session, fund_fen)
        ids = []
        for i in range(claims_n):
            bank = ("PSBC", "ABC")[i % 2]
            loan = LoanFactory(days_past_due=120, bank_code=bank, principal_fen=principal)
            actor = Principal(user_id=None, name=bank, role="bank", bank_code=bank)
            ids.append(done(db.session, claims.file_claim, actor, loan, rules, today=TODAY).id)
        _, key = done(db.session, users.create_user, ACTOR, "fund-manager", "fund_manager", None)
        db.session.remove()
        db.engine.dispose()
    return ids, key
