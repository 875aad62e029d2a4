"""应贷未贷's flag under concurrent writes on PostgreSQL: no write skew.

A household owes a loan and its survey says unwilling: its line does not wait. One
transaction makes the survey willing (the loan still owed, as it sees it), another repays
the loan (the survey still unwilling, as it sees it). Read committed, neither would change
the flag, and the line would stay off the list for good. The triggers lock the household's
row before they read its survey and loans (migration 0019w), so the second waits for the
first and reads what it wrote.
"""

import threading
import time
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import select

from creditsvc.infra.extensions import db
from models import CreditLine, WaitingLineTotal
from tests.books import set_fund
from tests.campaign_books import rated
from tests.integration.servers import pg_app
from tests.services.test_campaign_waiting_counts import loan_of
from tests.today import TODAY


@pytest.mark.postgres
def test_a_survey_made_willing_while_the_loan_is_repaid_leaves_the_line_waiting():
    with pg_app() as (app, url):
        with app.app_context():
            set_fund(db.session, 50_000_000)
            household = rated(willing=False)
            loan = loan_of(household, TODAY - timedelta(days=400))
            db.session.commit()
            db.session.remove()
        raw = url.replace("+psycopg", "")
        with psycopg.connect(raw) as survey, psycopg.connect(raw) as repayment:
            survey.execute("UPDATE household_surveys SET willing = true WHERE household_id = %s",
                           (household,))

            def repay():
                repayment.execute("UPDATE loans SET status = 'repaid' WHERE id = %s", (loan,))
                repayment.commit()

            racer = threading.Thread(target=repay)
            racer.start()
            time.sleep(0.5)  # the repayment has read the household by now, or waits on it
            survey.commit()
            racer.join(timeout=30)
            assert not racer.is_alive()
        with app.app_context():
            assert db.session.execute(select(CreditLine.waiting)).scalar_one() is True
            assert db.session.execute(select(WaitingLineTotal.n)).scalar_one() == 1
            db.session.remove()
