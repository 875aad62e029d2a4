"""Two officers confirm the same campaign's grant at once: one set of lines, one refusal.

Runs on the engine under test (SQLite by default, PostgreSQL with CREDITSVC_TEST_DB).
"""

from datetime import date, timedelta

from sqlalchemy import func, select

from creditsvc.infra.extensions import db
from creditsvc.services.campaign import campaigns, committee, grant, notice, rate
from creditsvc.services.campaign.committee import View
from models import CreditLine
from tests.campaign_scenario import fake_rate, officer_of, surveyed
from tests.work import at_once, done

TODAY = date(2026, 11, 2)


def test_two_grants_of_one_campaign_give_one_set_of_lines(app, session):
    officer = officer_of(session, "渔湖镇")
    surveyed(session, 6)
    campaign = done(session, campaigns.open_campaign, officer, town="渔湖镇", village=None,
                    today=TODAY)
    done(session, rate.rate_campaign, officer, campaign.id, today=TODAY, rate=fake_rate())
    done(session, committee.record_views, officer, campaign.id,
         [View(e.id, "agree") for e, _, _ in committee.entries(session, campaign.id)])
    done(session, notice.start_notice, officer, campaign.id, TODAY)
    campaign_id = campaign.id
    session.remove()
    on = TODAY + timedelta(days=8)

    def confirm(_):
        done(db.session, grant.grant, officer, campaign_id, on)
        return "granted"

    outcomes = sorted(at_once(app, 2, confirm))
    assert outcomes == ["campaign_granted", "granted"]
    assert session.execute(select(func.count()).select_from(CreditLine)).scalar_one() == 6
    assert session.execute(select(func.count(func.distinct(CreditLine.household_id)))).scalar_one() == 6
