"""Migration 0019a dates the applications and claims that exist from their timestamps, as days in
the county (UTC+8): a submission at 01:30 in the county (17:30 UTC the day before) is dated
the county's day."""

from datetime import UTC, date, datetime

from sqlalchemy import text

from creditsvc.infra.extensions import db
from tests.books import set_fund
from tests.dbs import migrate_again_from
from tests.factories import LoanFactory
from tests.pages.bank_books import paid_claim


def test_existing_applications_and_claims_get_the_county_day_of_their_timestamp(app, session):
    set_fund(session, 50_000_000)
    late_evening_utc = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # 2 March, 01:30 in the county
    morning_utc = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)  # 5 March, 10:00 in the county
    late = LoanFactory(days_past_due=95, application__created_at=late_evening_utc)
    LoanFactory(application__created_at=morning_utc)
    late_id = late.id
    session.commit()
    claim_id = paid_claim(late_id)
    db.session.execute(text("UPDATE claims SET filed_at = :at WHERE id = :id"),
                       {"at": datetime(2026, 10, 31, 16, 5), "id": claim_id})  # 1 Nov, 00:05
    db.session.commit()
    migrate_again_from(app, "0018l")
    days = db.session.execute(text(
        "SELECT submitted_on FROM applications ORDER BY created_at")).scalars().all()
    assert [date.fromisoformat(str(d)) for d in days] == [date(2026, 3, 2), date(2026, 3, 5)]
    filed = db.session.execute(text("SELECT filed_on FROM claims WHERE id = :id"),
                               {"id": claim_id}).scalar_one()
    assert date.fromisoformat(str(filed)) == date(2026, 11, 1)
