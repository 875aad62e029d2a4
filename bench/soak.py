"""A soak: minutes of mixed work over HTTP against gunicorn -w 2 on PostgreSQL, with a fixed seed.

Officers file households and submit applications; referred ones are reviewed by the fund
manager; PSBC accepts, disburses, takes repayments, reports arrears one loan at a time and by
its feed, and files claims on loans 90+ days late, which the fund manager approves. Old loans
(disbursed 400 days before the business date) are laid in first, so that arrears and claims
are real. Business refusals (a 409 for a loan that is already claimed, say) are part of the
work; a 5xx is a failure. Afterwards: `fund reconcile` and `audit verify` must be clean.

Prints p50 and p99 per route, answers by status, and the checks.

Run: python bench/soak.py [--seconds 180] [--clients 6] [--seed 7]
"""

import argparse
import random
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.access import users  # noqa: E402
from creditsvc.services.fund.reconcile import reconcile  # noqa: E402
from creditsvc.services.platform.audit_chain import verify_chain  # noqa: E402
from tests import dbs  # noqa: E402
from tests.books import fund_with  # noqa: E402
from tests.conftest import ACTOR  # noqa: E402
from tests.factories import HouseholdFactory, LoanFactory  # noqa: E402
from tests.integration.servers import gunicorn, pg_app  # noqa: E402
from tests.today import TODAY  # noqa: E402
from tests.work import done  # noqa: E402

OLD_LOANS = 120
DAY = TODAY.isoformat()


class Soak:
    """The shared state of the work: what exists, what each answer took."""

    def __init__(self, base: str, keys: dict[str, str], old_loans: list[str], seed: int):
        self.base, self.keys, self.seed = base, keys, seed
        self.lock = threading.Lock()
        self.households: list[str] = []
        self.accepted: list[str] = []
        self.loans: list[str] = []
        self.old_loans, self.late = list(old_loans), []
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.counter = 0

    def call(self, http, route: str, role: str, url: str, body=None, idempotent=False):
        headers = {"Authorization": f"Bearer {self.keys[role]}"}
        if idempotent:
            with self.lock:
                self.counter += 1
                headers["Idempotency-Key"] = f"soak-{self.seed}-{self.counter:07d}"
        started = time.perf_counter()
        answer = http.post(f"{self.base}{url}", json=body, headers=headers, timeout=120)
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[route].append(elapsed)
            self.statuses[(route, answer.status_code)] += 1
        return answer

    def pick(self, rng, items: list[str], remove=False) -> str | None:
        with self.lock:
            if not items:
                return None
            i = rng.randrange(len(items))
            return items.pop(i) if remove else items[i]

    # The steps, each one request or a short chain of them.
    def household(self, http, rng):
        made = self.call(http, "POST /households", "officer", "/api/v1/households",
                         HouseholdFactory(id_number=_id_number(rng)))
        if made.status_code == 201:
            with self.lock:
                self.households.append(made.json()["id"])

    def application(self, http, rng):
        household = self.pick(rng, self.households)
        if household is None:
            return self.household(http, rng)
        amount = f"{rng.choice((5, 8, 10, 20, 30)) * 1000}.00"
        made = self.call(http, "POST /applications", "officer", "/api/v1/applications",
                         {"household_id": household, "amount": amount, "term_months": 12,
                          "purpose": "planting", "bank": "PSBC"}, idempotent=True)
        if made.status_code != 201:
            return
        app = made.json()
        if app["status"] == "referred":
            reviewed = self.call(http, "POST /applications/{id}/review", "fund_manager",
                                 f"/api/v1/applications/{app['id']}/review",
                                 {"decision": "approve", "note": "visited the household",
                                  "approved_amount": "5000.00"})  # within any grade's limit
            if reviewed.status_code != 200:
                return
            app = reviewed.json()
        if app["status"] != "approved":
            return
        accepted = self.call(http, "POST /applications/{id}/acceptance", "bank",
                             f"/api/v1/applications/{app['id']}/acceptance",
                             {"decision": "accept", "reason": "due diligence done"})
        if accepted.status_code == 200:
            with self.lock:
                self.accepted.append(app["id"])

    def disbursement(self, http, rng):
        app_id = self.pick(rng, self.accepted, remove=True)
        if app_id is None:
            return self.application(http, rng)
        paid = self.call(http, "POST /applications/{id}/disbursement", "bank",
                         f"/api/v1/applications/{app_id}/disbursement",
                         {"amount": "5000.00", "disbursed_on": DAY, "annual_rate": "3.00",
                          "schedule": "interest_quarterly"}, idempotent=True)
        if paid.status_code == 201:
            with self.lock:
                self.loans.append(paid.json()["loan"]["id"])

    def repayment(self, http, rng):
        loan = self.pick(rng, self.loans)
        if loan is None:
            return self.disbursement(http, rng)
        self.call(http, "POST /loans/{id}/repayments", "bank", f"/api/v1/loans/{loan}/repayments",
                  {"principal": "100.00", "interest": "0.00", "paid_on": DAY}, idempotent=True)

    def arrears(self, http, rng):
        loan = self.pick(rng, self.old_loans)
        if loan is None:
            return
        dpd = rng.choice((0, 15, 45, 95, 120))
        made = self.call(http, "POST /loans/{id}/status-reports", "bank",
                         f"/api/v1/loans/{loan}/status-reports",
                         {"as_of": DAY, "days_past_due": dpd}, idempotent=True)
        if made.status_code in (200, 201) and dpd >= 90:
            with self.lock:
                self.late.append(loan)

    def feed(self, http, rng):
        with self.lock:
            chosen = rng.sample(self.old_loans, min(20, len(self.old_loans)))
        rows = [{"loan_id": loan, "as_of": DAY, "days_past_due": rng.choice((0, 10, 30))}
                for loan in chosen]
        self.call(http, "POST /loan-status-reports", "bank", "/api/v1/loan-status-reports",
                  {"rows": rows}, idempotent=True)

    def claim(self, http, rng):
        loan = self.pick(rng, self.late, remove=True)
        if loan is None:
            return self.arrears(http, rng)
        filed = self.call(http, "POST /loans/{id}/claims", "bank", f"/api/v1/loans/{loan}/claims",
                          idempotent=True)
        if filed.status_code == 201:
            self.call(http, "POST /claims/{id}/approve", "fund_manager",
                      f"/api/v1/claims/{filed.json()['id']}/approve", idempotent=True)


STEPS = (("household", 3), ("application", 5), ("disbursement", 4), ("repayment", 4),
         ("arrears", 3), ("feed", 1), ("claim", 2))


def _id_number(rng) -> str:
    from datetime import date

    from creditsvc.demo.households import fake_id_number

    return fake_id_number(date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                          rng.randrange(1, 10**6))


def client(soak: Soak, n: int, until: float) -> None:
    rng, http = random.Random(soak.seed * 1000 + n), requests.Session()
    names, weights = zip(*STEPS, strict=True)
    while time.monotonic() < until:
        getattr(soak, rng.choices(names, weights)[0])(http, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log", type=Path, help="write the server's log lines to this file")
    args = parser.parse_args()
    if why := dbs.pg_reachable():
        raise SystemExit(why)
    with pg_app() as (app, url):
        with app.app_context():
            keys = {role: done(db.session, users.create_user, ACTOR, f"soak-{role}", role,
                               "PSBC" if role == "bank" else None)[1]
                    for role in ("officer", "bank", "fund_manager")}
            fund_with(db.session, 2_000_000_000)
            old = [LoanFactory(principal_fen=1_000_000).id for _ in range(OLD_LOANS)]
            db.session.commit()
            db.session.remove()
        with gunicorn(url, workers=2, log_to=args.log, CREDITSVC_PII_KEY=app.config["PII_KEY"],
                      CREDITSVC_TODAY=DAY) as (base, _):
            soak = Soak(base, keys, old, args.seed)
            until = time.monotonic() + args.seconds
            with ThreadPoolExecutor(args.clients) as pool:
                list(pool.map(lambda n: client(soak, n, until), range(args.clients)))
        with app.app_context():
            broken = reconcile(db.session)
            chain = verify_chain(db.session)
            db.session.remove()
            db.engine.dispose()
    total = sum(soak.statuses.values())
    server_errors = sum(c for (_, s), c in soak.statuses.items() if s >= 500)
    print(f"{args.seconds:.0f} s, {args.clients} clients, seed {args.seed}: {total:,} requests, "
          f"{server_errors} 5xx")
    print(f"{'route':42s} {'n':>6s} {'p50 ms':>8s} {'p99 ms':>8s}  statuses")
    for route, times in sorted(soak.times.items()):
        times = sorted(times)
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        answers = {s: c for (r, s), c in sorted(soak.statuses.items()) if r == route}
        print(f"{route:42s} {len(times):6d} {statistics.median(times) * 1000:8.1f} "
              f"{p99 * 1000:8.1f}  {answers}")
    print(f"fund reconcile: {'clean' if not broken else broken}")
    print(f"audit verify: {'clean' if chain.ok else chain}, {chain.checked:,} events")
    if server_errors or broken or not chain.ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
