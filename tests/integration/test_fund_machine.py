"""A Hypothesis state machine over the fund: contributions, disbursements, defaults, claims,
approvals, rejections, recoveries and retries with the same Idempotency-Key. After every
step the books reconcile and the balance equals the model's.
"""

import uuid

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select, text, update

from creditsvc.core.errors import AppError
from creditsvc.infra.extensions import db
from creditsvc.services.fund.reconcile import reconcile
from models import BankExposure, Fund, Loan
from tests.books import set_days_past_due
from tests.factories import LoanFactory
from tests.today import TODAY

TODAY_ISO = TODAY.isoformat()
SEEN: dict[str, int] = {}  # steps that did something, so the test cannot pass by doing nothing
yuan = st.integers(min_value=1, max_value=60_000).map(lambda y: f"{y}.00")


def _empty_the_books() -> None:
    """Each example starts from an empty fund and book (the database outlives examples)."""
    db.session.rollback()
    for table in ("postings", "journal_entries", "recoveries", "claims", "status_reports",
                  "repayments", "schedule_items", "loans", "applications", "idempotency_records"):
        db.session.execute(text(f"DELETE FROM {table}"))
    db.session.execute(update(Fund).values(capital_fen=0, balance_fen=0, guaranteed_outstanding_fen=0,
                                           npl_outstanding_fen=0, claims_paid_fen=0, recovered_fen=0))
    db.session.execute(update(BankExposure).values(outstanding_fen=0))
    db.session.commit()


class FundMachine(RuleBasedStateMachine):
    posts = Bundle("posts")

    def __init__(self, client, keys):
        super().__init__()
        self.client, self.keys = client, keys
        self.fm = keys.headers("fund_manager")
        self.banks = {b: keys.headers("bank", b) for b in ("PSBC", "ABC")}
        _empty_the_books()
        self.balance = 0
        self.run = uuid.uuid4().hex[:12]
        self.model: dict[str, dict] = {}
        self.n = 0

    def _post(self, path, headers, body=None, key=None):
        self.n += 1
        key = key or f"m-{self.run}-{self.n}"
        r = self.client.post(path, json=body or {}, headers={**headers, "Idempotency-Key": key})
        assert r.status_code < 500, r.get_data(as_text=True)
        return r, key

    @initialize(target=posts)
    def capital(self):
        """Capital first, so that disbursements have capacity from the first step."""
        return self.contribute("50000.00", False)

    @rule(target=posts, amount=yuan, interest=st.booleans())
    def contribute(self, amount, interest):
        path = "/api/v1/fund/interest" if interest else "/api/v1/fund/contributions"
        body = {"amount": amount, "date": TODAY_ISO}
        r, key = self._post(path, self.fm, body)
        assert r.status_code == 201
        self.balance += int(amount[:-3]) * 100
        return (path, self.fm, body, key, r.status_code, r.get_data())

    def _pick(self, pick: int, with_claim: bool = False) -> str | None:
        """A loan of the model, chosen by an integer Hypothesis draws (and shrinks)."""
        ids = [k for k, m in self.model.items() if m["claim"] or not with_claim]
        return ids[pick % len(ids)] if ids else None

    @rule(bank=st.sampled_from(["PSBC", "ABC"]),
          principal=st.integers(1_000, 50_000))
    def disburse(self, bank, principal):
        try:
            loan_id = LoanFactory(bank_code=bank, principal_fen=principal * 100).id
        except AppError:  # past the leverage cap or the bank's share
            db.session.rollback()
            return
        db.session.rollback()
        SEEN["disbursed"] = SEEN.get("disbursed", 0) + 1
        self.model[loan_id] = {"bank": bank, "principal": principal * 100, "status": "active",
                               "dpd": 0, "claim": None}

    @rule(pick=st.integers(0, 999), dpd=st.sampled_from([0, 89, 90, 120, 200, 400]))
    def report_days_past_due(self, pick, dpd):
        loan_id = self._pick(pick)
        m = self.model.get(loan_id)
        if m is None or m["status"] != "active":
            return
        SEEN["dpd"] = SEEN.get("dpd", 0) + 1
        set_days_past_due(db.session, db.session.get(Loan, loan_id), dpd)
        db.session.rollback()
        m["dpd"] = dpd

    @rule(pick=st.integers(0, 999), default_first=st.booleans())
    def file_claim(self, pick, default_first):
        loan_id = self._pick(pick)
        m = self.model.get(loan_id)
        if m is None:
            return
        if default_first and m["status"] == "active":
            set_days_past_due(db.session, db.session.get(Loan, loan_id), 120)
            db.session.rollback()
            m["dpd"] = 120
        r = self.client.post(f"/api/v1/loans/{loan_id}/claims", headers=self.banks[m["bank"]])
        if m["claim"] is not None:
            assert (r.status_code, r.get_json()["code"]) == (409, "claim_exists")
        elif m["status"] != "active" or m["dpd"] < 90:
            assert (r.status_code, r.get_json()["code"]) == (409, "not_in_default")
        else:
            assert r.status_code == 201, r.get_json()
            SEEN["filed"] = SEEN.get("filed", 0) + 1
            m["claim"] = {"id": r.get_json()["id"], "status": "filed",
                          "amount": int(round(m["principal"] * 0.8))}

    # Chosen only while some claim is filed: otherwise most draws of the rule do nothing, and
    # whether any approval happens at all would hang on the order Hypothesis picks rules in.
    @precondition(lambda self: any(m["claim"] and m["claim"]["status"] == "filed"
                                   for m in self.model.values()))
    @rule(target=posts, pick=st.integers(0, 999), then_recover=st.integers(0, 20_000))
    def approve(self, pick, then_recover):
        loan_id = self._pick(pick, with_claim=True)
        m = self.model.get(loan_id)
        if m is None or m["claim"] is None:
            return None
        c = m["claim"]
        r, key = self._post(f"/api/v1/claims/{c['id']}/approve", self.fm)
        if c["status"] != "filed":
            assert (r.status_code, r.get_json()["code"]) == (409, "claim_not_filed")
        elif m["dpd"] < 90:  # cured since the filing: paid on the loan as it stands, so not
            assert (r.status_code, r.get_json()["code"]) == (409, "not_in_default")
            SEEN["cured"] = SEEN.get("cured", 0) + 1
        elif self.balance < c["amount"]:
            assert (r.status_code, r.get_json()["code"]) == (409, "fund_exhausted")
            SEEN["exhausted"] = SEEN.get("exhausted", 0) + 1
        else:
            assert r.status_code == 200, r.get_json()
            c["status"], m["status"] = "paid", "claimed"
            SEEN["paid"] = SEEN.get("paid", 0) + 1
            self.balance -= c["amount"]
            if then_recover:
                self.recover(loan_id, then_recover)
        return (f"/api/v1/claims/{c['id']}/approve", self.fm, {}, key, r.status_code, r.get_data())

    @rule(pick=st.integers(0, 999))
    def reject(self, pick):
        m = self.model.get(self._pick(pick, with_claim=True))
        if m is None or m["claim"] is None:
            return
        c = m["claim"]
        r = self.client.post(f"/api/v1/claims/{c['id']}/reject", json={"reason": "no documents"},
                             headers=self.fm)
        if c["status"] == "filed":
            assert r.status_code == 200
            c["status"] = "rejected"
        else:
            assert r.status_code == 409

    @rule(target=posts, pick=st.integers(0, 999), amount=st.integers(1, 20_000))
    def recover_on_any_loan(self, pick, amount):
        return self.recover(self._pick(pick), amount)

    def recover(self, loan_id, amount):
        m = self.model.get(loan_id)
        if m is None:
            return None
        path = f"/api/v1/loans/{loan_id}/recoveries"
        body = {"amount": f"{amount}.00", "recovered_on": TODAY_ISO}
        headers = self.banks[m["bank"]]
        r, key = self._post(path, headers, body)
        if m["status"] != "claimed":
            assert (r.status_code, r.get_json()["code"]) == (409, "loan_not_claimed")
        else:
            assert r.status_code == 201, r.get_json()
            returned = m.setdefault("returned", 0)
            share = min(int(round(amount * 100 * 0.8)), m["claim"]["amount"] - returned)
            assert r.get_json()["fund_share"] == f"{share / 100:.2f}"
            m["returned"] = returned + share
            self.balance += share
            SEEN["recovered"] = SEEN.get("recovered", 0) + 1
        return (path, headers, body, key, r.status_code, r.get_data())

    @precondition(lambda self: self.n % 3 == 0)
    @rule(post=posts)
    def retry_with_the_same_key(self, post):
        # Only successes are remembered; a refusal is decided afresh on retry (docs/api.md), and
        # that is tested where the outcome is known (tests/api/test_idempotency_lifecycle.py).
        if post is None or post[4] >= 400:
            return
        path, headers, body, key, status, data = post
        r, _ = self._post(path, headers, body, key=key)
        assert (r.status_code, r.get_data()) == (status, data)
        assert r.headers.get("Idempotent-Replayed") == "true"
        SEEN["replayed"] = SEEN.get("replayed", 0) + 1

    @invariant()
    def books_reconcile(self):
        assert reconcile(db.session) == []
        assert db.session.execute(select(Fund.balance_fen)).scalar_one() == self.balance
        db.session.rollback()


def test_fund_state_machine(client, keys):
    # The factories date loans from TODAY, the app's business date (tests/conftest.py).
    run_state_machine_as_test(
        lambda: FundMachine(client, keys),
        settings=settings(max_examples=30, stateful_step_count=40, deadline=None, derandomize=True,
                          database=None,
                          suppress_health_check=list(HealthCheck)))
    assert {"paid", "recovered", "replayed"} <= set(SEEN), SEEN
