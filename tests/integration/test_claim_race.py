"""64 concurrent approvals of ¥10,000 claims on a ¥100,000 fund: exactly 10 are paid.

On PostgreSQL under gunicorn with 4 workers (the production shape), on SQLite with
threads, and, to prove the test can catch the bug, with a deliberately naive
read-then-write draw that must overpay.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from creditsvc import create_app
from creditsvc.core.errors import AppError
from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.fund import claims
from creditsvc.services.fund.reconcile import reconcile
from models import Claim, Fund, JournalEntry, Posting
from scoring.policy import Policy
from tests import dbs
from tests.conftest import make_config
from tests.integration.fund_setup import seed
from tests.integration.servers import gunicorn, pg_app
from tests.today import TODAY
from tests.work import done

pytestmark = pytest.mark.slow
N, FUND, CLAIM = 64, 10_000_000, 1_000_000  # fen: ¥100,000 and ¥10,000
MANAGER = Principal(user_id=None, name="fm", role="fund_manager")


def _books(app) -> tuple[int, int, list[str]]:
    with app.app_context():
        s = db.session
        balance = s.execute(select(Fund.balance_fen)).scalar_one()
        paid = s.execute(select(Claim.id).where(Claim.status == "paid")).all()
        breaks = reconcile(s)
        db.session.remove()
        db.engine.dispose()
    return balance, len(paid), breaks


@pytest.mark.postgres
def test_claim_race_on_postgresql_under_gunicorn():
    with pg_app() as (app, url):
        claim_ids, key = seed(app, fund_fen=FUND, claims_n=N, claim_fen=CLAIM)
        with gunicorn(url, workers=4) as (base, _):
            def approve(i):
                r = requests.post(f"{base}/api/v1/claims/{claim_ids[i]}/approve", timeout=60,
                                  headers={"Authorization": f"Bearer {key}",
                                           "Idempotency-Key": f"race-{i:04d}"})
                return r.status_code, r.json().get("code")

            with ThreadPoolExecutor(N) as pool:
                results = list(pool.map(approve, range(N)))
        statuses = Counter(status for status, _ in results)
        assert statuses == {200: 10, 409: 54}, results
        assert {code for status, code in results if status == 409} == {"fund_exhausted"}
        balance, paid, breaks = _books(app)
        assert (balance, paid, breaks) == (0, 10, [])


def test_claim_race_on_sqlite_with_threads(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    app = create_app(make_config(url))
    dbs.migrate_to_head(app)
    claim_ids, _ = seed(app, fund_fen=FUND, claims_n=N, claim_fen=CLAIM)
    with app.app_context():
        engine = db.engine
        start = threading.Barrier(N)

        def approve(claim_id):
            start.wait()
            with Session(engine) as s:
                try:
                    done(s, claims.approve_claim, MANAGER, claim_id, Policy(), on=TODAY)
                    return "paid"
                except AppError as exc:
                    return exc.code

        with ThreadPoolExecutor(N) as pool:
            results = Counter(pool.map(approve, claim_ids))
        engine.dispose()
    assert results == {"paid": 10, "fund_exhausted": 54}
    assert _books(app) == (0, 10, [])


def naive_draw(session: Session, claim_id: str, everyone_has_read: threading.Barrier) -> bool:
    """THE BUG, for the test only: read the balance, decide, write an absolute value."""
    claim = session.get(Claim, claim_id)
    balance = session.execute(select(Fund.balance_fen).where(Fund.id == 1)).scalar_one()
    everyone_has_read.wait()  # every request has read before any writes: the race, made certain
    if balance < claim.amount_fen:
        return False
    session.execute(update(Fund).where(Fund.id == 1).values(
        balance_fen=balance - claim.amount_fen, claims_paid_fen=Fund.claims_paid_fen + claim.amount_fen))
    session.execute(update(Claim).where(Claim.id == claim_id).values(status="paid"))
    session.add(JournalEntry(kind="claim_draw", effective_on=TODAY, claim_id=claim_id,
                             postings=[Posting(account="claims_paid", amount_fen=claim.amount_fen),
                                       Posting(account="fund_cash", amount_fen=-claim.amount_fen)]))
    session.commit()
    return True


@pytest.mark.postgres
def test_the_same_checks_catch_a_naive_read_then_write_draw():
    with pg_app() as (app, _url):
        claim_ids, _ = seed(app, fund_fen=FUND, claims_n=N, claim_fen=CLAIM)
        # One connection per request, as 64 app servers would have: no pool limit.
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
        everyone_has_read = threading.Barrier(N, timeout=60)

        def draw(claim_id):
            with Session(engine) as s:
                return naive_draw(s, claim_id, everyone_has_read)

        with ThreadPoolExecutor(N) as pool:
            paid = sum(pool.map(draw, claim_ids))
        engine.dispose()
        balance, paid_rows, breaks = _books(app)
    # The naive draw overpays (every request saw ¥100,000) and the books no longer reconcile:
    # exactly the assertions of the real race fail.
    assert paid > 10 and paid_rows > 10
    assert any("balance_fen" in b for b in breaks), breaks
