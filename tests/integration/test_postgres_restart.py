"""PostgreSQL restarts under a burst of writes: clients get 503s, never a 500, and nothing is lost.

The test's own PostgreSQL (initdb, another port) serves gunicorn -w 2. Officers submit
applications and the bank disburses accepted ones (money: the fund's exposure moves), each
request with its own Idempotency-Key, retrying a 503 with the same key as a client should;
the server is restarted in the middle. Afterwards every key did its work exactly once (no loan
paid twice), the service answered again without being restarted, the audit chain verifies,
and the fund's books reconcile.
"""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import text

from creditsvc import create_app
from creditsvc.core.pii import PiiCipher
from creditsvc.infra.extensions import db
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.access import users
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.households import files as households
from creditsvc.services.platform.audit_chain import verify_chain
from tests import dbs
from tests.books import exposure_consistent, fund_with
from tests.conftest import ACTOR, make_config
from tests.factories import ApplicationFactory, HouseholdFactory
from tests.integration.own_postgres import own_postgres
from tests.integration.servers import gunicorn
from tests.today import TODAY
from tests.work import done

WRITERS, PER_WRITER = 6, 25
DISBURSERS, PER_DISBURSER = 3, 10


@pytest.mark.postgres
def test_a_restart_under_writes_gives_503s_and_loses_nothing():
    with own_postgres() as server:
        server.run("/usr/bin/env", "psql", "-h", "127.0.0.1", "-p", str(server.port), "-U",
                   "postgres", "-c", "CREATE DATABASE creditsvc")
        url = server.url("creditsvc")
        app = create_app(make_config(url))
        dbs.migrate_to_head(app)
        with app.app_context():
            officer, key = done(db.session, users.create_user, ACTOR, "restart-officer", "officer")
            _, bank_key = done(db.session, users.create_user, ACTOR, "restart-psbc", "bank", "PSBC")
            household = done(db.session, households.create_household, ACTOR,
                             PiiCipher(app.config["PII_KEY"]),
                             HouseholdInSchema().load(HouseholdFactory())).id
            fund_with(db.session, 100_000_000)
            accepted = [ApplicationFactory(submitted_by=officer.id, status="accepted",
                                           approved_amount_fen=700_000).id
                        for _ in range(DISBURSERS * PER_DISBURSER)]
            db.session.remove()
            db.engine.dispose()
        statuses: Counter = Counter()
        with gunicorn(url, workers=2, CREDITSVC_PII_KEY=app.config["PII_KEY"],
                      CREDITSVC_TODAY=TODAY.isoformat(), DB_IDLE_PING_SECONDS="1") as (base, _):
            restarted = threading.Event()

            def restart():
                time.sleep(1.0)
                server.stop()
                time.sleep(1.5)  # down for a moment: requests in flight and new ones fail
                server.start()
                restarted.set()

            def post(http, url, body, headers) -> list[int]:
                """POST until it is not a 503, retrying with the same key; every status seen."""
                seen = []
                while True:
                    status = http.post(url, json=body, headers=headers, timeout=60).status_code
                    seen.append(status)
                    if status != 503:
                        return seen
                    time.sleep(0.2)

            def writer(n: int) -> list[int]:
                http, seen = requests.Session(), []
                for i in range(PER_WRITER):
                    body = {"household_id": household, "amount": "20000.00", "term_months": 12,
                            "purpose": "planting", "bank": "PSBC"}
                    seen += post(http, f"{base}/api/v1/applications", body,
                                 {"Authorization": f"Bearer {key}",
                                  "Idempotency-Key": f"restart-{n:02d}-{i:03d}"})
                    time.sleep(0.05)
                return seen

            def disburser(n: int) -> list[int]:
                http, seen = requests.Session(), []
                terms = {"amount": "7000.00", "disbursed_on": TODAY.isoformat(),
                         "annual_rate": "3.00", "schedule": "interest_quarterly"}
                for i, app_id in enumerate(accepted[n::DISBURSERS]):
                    seen += post(http, f"{base}/api/v1/applications/{app_id}/disbursement", terms,
                                 {"Authorization": f"Bearer {bank_key}",
                                  "Idempotency-Key": f"pay-{n:02d}-{i:03d}"})
                    time.sleep(0.1)
                return seen

            with ThreadPoolExecutor(WRITERS + DISBURSERS + 1) as pool:
                stopper = pool.submit(restart)
                paying = [pool.submit(disburser, n) for n in range(DISBURSERS)]
                results = list(pool.map(writer, range(WRITERS)))
                results += [f.result() for f in paying]
                stopper.result()
            for seen in results:
                statuses.update(seen)
            assert restarted.is_set()
            after = requests.get(f"{base}/readyz", timeout=30)
            assert after.status_code == 200, "the service answers again without a restart"

        assert statuses[500] == 0, statuses
        assert statuses[503] > 0, f"the restart was not felt: {statuses}"
        assert set(statuses) <= {201, 503}, statuses
        assert statuses[201] == WRITERS * PER_WRITER + DISBURSERS * PER_DISBURSER
        with app.app_context():
            apps = db.session.execute(text("SELECT count(*) FROM applications WHERE status <> "
                                           "'disbursed'")).scalar()
            assert apps == WRITERS * PER_WRITER, "one application per key, none lost or doubled"
            loans = db.session.execute(text("SELECT count(*), sum(principal_fen) FROM loans")).one()
            assert loans == (len(accepted), len(accepted) * 700_000), "each loan paid once"
            fund, summed, kept, per_bank = exposure_consistent(db.session)
            assert fund == summed == len(accepted) * 700_000 and kept == per_bank
            assert verify_chain(db.session).ok
            assert reconcile(db.session) == []
            db.session.remove()
            db.engine.dispose()
        print(f"statuses during the restart: {dict(statuses)}")
