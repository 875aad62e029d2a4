"""Migration 0019w flags the lines and counts 应贷未贷 from the rows already there."""

from datetime import timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from creditsvc.infra.extensions import db
from creditsvc.services.campaign import lists
from creditsvc.services.campaign.lists import ListFilter
from tests.books import set_fund
from tests.campaign_books import rated
from tests.services.test_campaign_lists import officer
from tests.services.test_campaign_waiting_counts import DATES, flags_wrong, loan_of, oracle
from tests.today import TODAY


def test_the_upgrade_counts_the_lines_already_granted(app, session):
    set_fund(session, 50_000_000)
    county = officer(session, "officer-upgrade", "渔湖镇", "地都镇")
    for town, village, grade in (("渔湖镇", "东湖村", "AA"), ("渔湖镇", "东湖村", "AAA"),
                                 ("渔湖镇", "西田村", "A"), ("地都镇", "东湖村", "AA")):
        for _ in range(2):
            rated(town, village, grade=grade)
    rated(willing=False)
    rated(valid_from=TODAY + timedelta(days=10))
    rated(status="replaced")
    rated(valid_from=TODAY - timedelta(days=800), valid_until=TODAY - timedelta(days=70))
    owing = rated("地都镇", "东湖村")
    loan_of(owing, TODAY - timedelta(days=400))
    session.commit()
    directory = app.extensions["migrate"].directory
    db.session.remove()
    downgrade(directory=directory, revision="0018l")
    # Written while no trigger keeps the counts: the upgrade must read the rows as they are.
    db.session.execute(text("UPDATE household_surveys SET willing = false WHERE household_id = "
                            "(SELECT household_id FROM credit_lines WHERE village = '西田村' "
                            "ORDER BY id LIMIT 1)"))
    db.session.execute(text("UPDATE loans SET status = 'repaid'"))
    db.session.commit()
    upgrade(directory=directory)
    assert flags_wrong(db.session) == []
    waiting = db.session.execute(text("SELECT count(*) FROM credit_lines WHERE waiting")).scalar()
    # The 8 granted, less the one no longer willing, the future and the expired lines (a
    # flag for any date) and the household whose loan was repaid meanwhile.
    assert waiting == 10
    for today in DATES:
        expected = oracle(db.session, county, ListFilter(), today)
        assert lists.unborrowed_counts(db.session, county, ListFilter(),
                                       today=today).villages == expected, today
