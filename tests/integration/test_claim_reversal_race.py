"""Simultaneous reversals of the same paid claim reverse it exactly once, on both engines.

Eight fund managers' requests (each under its own Idempotency-Key, as eight people pressing
the button would send) race to reverse one claim: one wins, the others get 409
claim_already_reversed, the cash comes back once, and the books reconcile.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc import create_app
from creditsvc.core.errors import AppError
from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.fund import claim_reversal, claims
from creditsvc.services.fund.reconcile import reconcile
from models import Fund, JournalEntry
from scoring.policy import Policy
from tests import dbs
from tests.conftest import make_config
from tests.integration.fund_setup import seed
from tests.integration.servers import gunicorn, pg_app
from tests.today import TODAY
from tests.work import done

pytestmark = pytest.mark.slow
N, FUND, CLAIM = 8, 10_000_000, 1_000_000
MANAGER = Principal(user_id=None, name="fm", role="fund_manager")
WHY = "paid on the wrong loan number"


def _paid(app) -> tuple[str, str]:
    """One claim paid on a ¥100,000 fund; its id and a fund manager's key."""
    (claim_id,), key = seed(app, fund_fen=FUND, claims_n=1, claim_fen=CLAIM)
    with app.app_context():
        done(db.session, claims.approve_claim, MANAGER, claim_id, Policy(), on=TODAY)
        db.session.remove()
        db.engine.dispose()
    return claim_id, key


def _books(app) -> tuple[int, int, list[str]]:
    with app.app_context():
        s = db.session
        balance = s.execute(select(Fund.balance_fen)).scalar_one()
        mirrors = s.execute(select(func.count()).select_from(JournalEntry)
                            .where(JournalEntry.reverses_id.is_not(None))).scalar_one()
        breaks = reconcile(s)
        db.session.remove()
        db.engine.dispose()
    return balance, mirrors, breaks


@pytest.mark.postgres
def test_reversal_race_on_postgresql_under_gunicorn():
    with pg_app() as (app, url):
        claim_id, key = _paid(app)
        with gunicorn(url, workers=4) as (base, _):
            start = threading.Barrier(N)

            def reverse(i):
                start.wait()
                r = requests.post(f"{base}/api/v1/claims/{claim_id}/reverse", timeout=60,
                                  json={"reason": WHY},
                                  headers={"Authorization": f"Bearer {key}",
                                           "Idempotency-Key": f"reverse-race-{i:04d}"})
                return r.status_code, r.json().get("code")

            with ThreadPoolExecutor(N) as pool:
                results = Counter(pool.map(reverse, range(N)))
        assert results == {(200, None): 1, (409, "claim_already_reversed"): N - 1}, results
        assert _books(app) == (FUND, 1, [])


def test_reversal_race_on_sqlite_with_threads(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path / 'reverse.sqlite3'}"))
    dbs.migrate_to_head(app)
    claim_id, _ = _paid(app)
    with app.app_context():
        engine = db.engine
        start = threading.Barrier(N)

        def reverse(_):
            start.wait()
            with Session(engine) as s:
                try:
                    done(s, claim_reversal.reverse_claim, MANAGER, claim_id, reason=WHY,
                         on=TODAY)
                    return "reversed"
                except AppError as exc:
                    return exc.code

        with ThreadPoolExecutor(N) as pool:
            results = Counter(pool.map(reverse, range(N)))
        engine.dispose()
    assert results == {"reversed": 1, "claim_already_reversed": N - 1}
    assert _books(app) == (FUND, 1, [])
