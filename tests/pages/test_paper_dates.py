"""The papers date what they say from the business date, never from a timestamp.

The suite's business date (tests/today.py) is not the calendar's, and each test here moves it
again: the day an application was submitted or a claim filed is the business date of that
step, which the paper, the API and the database keep, whatever the server's clock said.
"""

from sqlalchemy import select

from creditsvc.infra.extensions import db
from models import Application, Claim
from tests.api.test_applications import household, submit
from tests.pages.bank_books import funded, loan
from tests.pages.papers_books import (  # noqa: F401 (_quiet_fonts: a fixture)
    NEEDS_POPPLER,
    _quiet_fonts,
    date_of,
    printed,
)
from tests.today import TODAY

pytestmark = NEEDS_POPPLER

SUBMITTED_ON = "2026-03-16"  # neither the suite's day nor the calendar's
FILED_ON = "2026-10-28"


def test_the_recommendation_prints_the_business_date_the_application_was_submitted_on(
        as_user, keys, client, officer, business_date):
    hid = household(client, officer)
    business_date(SUBMITTED_ON)
    made = submit(client, officer, "dated-0001", household_id=hid, amount="5000.00")
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["submitted_on"] == SUBMITTED_ON
    if body["status"] == "referred":  # approved by a second officer if the rules referred it
        reviewed = client.post(f"/api/v1/applications/{body['id']}/review",
                               headers=keys.headers("officer", name="officer-second"),
                               json={"decision": "approve", "note": "checked on the visit",
                                     "approved_amount": "5000.00"})
        assert reviewed.status_code == 200, reviewed.get_json()
    business_date(TODAY)  # printed months later
    app = db.session.execute(select(Application).where(Application.id == body["id"])).scalar_one()
    assert str(app.submitted_on) == SUBMITTED_ON
    assert client.get(f"/api/v1/applications/{body['id']}",
                      headers=officer).get_json()["submitted_on"] == SUBMITTED_ON
    db.session.close()
    text, _ = printed(as_user("officer").get(f"/papers/applications/{body['id']}/recommendation"))
    assert "申请日期" + date_of(SUBMITTED_ON) in text
    assert "日期：" + date_of(TODAY.isoformat()) in text  # the paper's own date: the day printed


def test_the_claim_form_prints_the_business_date_the_claim_was_filed_on(
        as_user, keys, client, business_date):
    funded()
    loan_id = loan(dpd=95)
    business_date(FILED_ON)
    filed = client.post(f"/api/v1/loans/{loan_id}/claims", headers=keys.headers("bank", "PSBC"))
    assert filed.status_code == 201, filed.get_json()
    claim_id = filed.get_json()["id"]
    assert filed.get_json()["filed_on"] == FILED_ON
    business_date(TODAY)
    claim = db.session.execute(select(Claim).where(Claim.id == claim_id)).scalar_one()
    assert str(claim.filed_on) == FILED_ON
    db.session.close()
    text, _ = printed(as_user("psbc").get(f"/papers/claims/{claim_id}"))
    assert "申报日期" + date_of(FILED_ON) in text
