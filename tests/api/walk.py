"""A loan walked through its life over the API, each step on its own business date.

The business date moves forward with the walk (the `business_date` fixture, as
CREDITSVC_TODAY would), so a loan reaches 90+ days past due and a claim the way a real one
does: no step is dated after the day it is taken, none before the loan's own events.
"""

import itertools
from datetime import date

from tests.factories import HouseholdFactory

APPS, LOANS = "/api/v1/applications", "/api/v1/loans"
START = "2026-01-05"  # a Monday; the 1-year LPR is 3.00% then


class Walk:
    """The officer, PSBC and the fund manager taking a household's loans through their life."""

    def __init__(self, client, keys, business_date):
        self.client, self.move = client, business_date
        self.officer, self.manager = keys.headers("officer"), keys.headers("fund_manager")
        self.bank = keys.headers("bank", "PSBC")
        self.today: date | None = None
        self._keys = itertools.count(1)

    def on(self, day: str) -> None:
        """Move the business date to DAY (never back: the walk lives forward)."""
        new = date.fromisoformat(day)
        if self.today is None or new > self.today:
            self.today = self.move(new)

    def post(self, url, headers, body=None, *, idempotent=False):
        extra = {"Idempotency-Key": f"walk-{next(self._keys):06d}"} if idempotent else {}
        return self.client.post(url, json=body, headers={**headers, **extra})

    def household(self, **overrides) -> str:
        made = self.post("/api/v1/households", self.officer, HouseholdFactory(**overrides))
        assert made.status_code == 201, made.get_json()
        return made.get_json()["id"]

    def submit(self, household_id: str, amount: str = "10000.00", term: int = 12,
               purpose: str = "planting"):
        return self.post(APPS, self.officer, {"household_id": household_id, "amount": amount,
                                              "term_months": term, "purpose": purpose,
                                              "bank": "PSBC"}, idempotent=True)

    def approved(self, household_id: str, amount: str = "10000.00", term: int = 12) -> dict:
        """An application approved by the machine, or by a person when it was referred."""
        made = self.submit(household_id, amount, term)
        assert made.status_code == 201, made.get_json()
        app = made.get_json()
        if app["status"] == "referred":
            reviewed = self.post(f"{APPS}/{app['id']}/review", self.manager,
                                 {"decision": "approve", "note": "visited the household",
                                  "approved_amount": amount})
            assert reviewed.status_code == 200, reviewed.get_json()
            app = reviewed.get_json()
        assert app["status"] == "approved", app
        return app

    def accepted(self, household_id: str, on: str = START, amount: str = "10000.00") -> str:
        """An application made, approved and accepted by PSBC on ON; its id."""
        self.on(on)
        app = self.approved(household_id, amount)
        ok = self.post(f"{APPS}/{app['id']}/acceptance", self.bank,
                       {"decision": "accept", "reason": "due diligence done"})
        assert ok.status_code == 200, ok.get_json()
        return app["id"]

    def disburse(self, app_id: str, on: str = START, amount: str = "10000.00"):
        return self.post(f"{APPS}/{app_id}/disbursement", self.bank,
                         {"amount": amount, "disbursed_on": on, "annual_rate": "3.00",
                          "schedule": "interest_quarterly"}, idempotent=True)

    def loan(self, household_id: str | None = None, on: str = START,
             amount: str = "10000.00") -> dict:
        """A ¥10,000 12-month loan, interest quarterly (first due date 3 months on), paid out ON."""
        app_id = self.accepted(household_id or self.household(), on, amount)
        made = self.disburse(app_id, on, amount)
        assert made.status_code == 201, made.get_json()
        return made.get_json()["loan"]

    def report(self, loan_id: str, as_of: str, dpd: int):
        self.on(as_of)
        return self.post(f"{LOANS}/{loan_id}/status-reports", self.bank,
                         {"as_of": as_of, "days_past_due": dpd})

    def repay(self, loan_id: str, paid_on: str, principal: str, interest: str = "0.00"):
        self.on(paid_on)
        return self.post(f"{LOANS}/{loan_id}/repayments", self.bank,
                         {"principal": principal, "interest": interest, "paid_on": paid_on},
                         idempotent=True)

    def claim(self, loan_id: str) -> dict:
        filed = self.post(f"{LOANS}/{loan_id}/claims", self.bank)
        assert filed.status_code == 201, filed.get_json()
        return filed.get_json()

    def approve(self, claim_id: str):
        return self.post(f"/api/v1/claims/{claim_id}/approve", self.manager, idempotent=True)

    def defaulted(self, household_id: str | None = None) -> dict:
        """A loan paid out on 5 Jan 2026 and 95 days past due on 9 Jul (first due 5 Apr)."""
        loan = self.loan(household_id)
        late = self.report(loan["id"], "2026-07-09", 95)
        assert late.status_code == 201 and late.get_json()["classification"] == "次级", late.get_json()
        return late.get_json()

    def claimed(self, household_id: str | None = None) -> dict:
        """A defaulted loan whose claim the fund paid on 20 Jul 2026; the loan after it."""
        loan = self.defaulted(household_id)
        claim = self.claim(loan["id"])
        self.on("2026-07-20")
        paid = self.approve(claim["id"])
        assert paid.status_code == 200, paid.get_json()
        return self.client.get(f"{LOANS}/{loan['id']}", headers=self.manager).get_json()["loan"]
