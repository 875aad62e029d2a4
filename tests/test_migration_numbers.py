"""Migration 0014 numbers the loans and applications that exist, and the counters go on from there."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from creditsvc.infra.extensions import db
from creditsvc.services.loans.numbers import next_number
from tests.books import set_fund
from tests.dbs import migrate_again_from
from tests.factories import LoanFactory
from tests.work import done


def test_existing_rows_are_numbered_in_the_order_they_were_made(app, session):
    set_fund(session, 50_000_000)
    cipher = app.extensions["creditsvc.core.pii"]
    made = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # the applications' stamp, not the clock's
    for i, (bank, day) in enumerate((("PSBC", date(2025, 3, 1)), ("ABC", date(2025, 4, 1)),
                                     ("PSBC", date(2025, 2, 1)), ("PSBC", date(2026, 1, 5)))):
        # A real ciphertext of the name: upgrading again runs 0015, which reads it.
        LoanFactory(bank_code=bank, disbursed_on=day, maturity_on=date(2027, 1, 1),
                    application__created_at=made + timedelta(minutes=i),
                    application__household__head_name_enc=cipher.encrypt("陈建国"))
    session.commit()
    migrate_again_from(app, "0013c")
    loans = db.session.execute(text(
        "SELECT bank_code, disbursed_on, number FROM loans ORDER BY number")).all()
    assert [(b, str(d), n) for b, d, n in loans] == [
        ("ABC", "2025-04-01", "ABC-2025-000001"), ("PSBC", "2025-02-01", "PSBC-2025-000001"),
        ("PSBC", "2025-03-01", "PSBC-2025-000002"), ("PSBC", "2026-01-05", "PSBC-2026-000001")]
    apps = db.session.execute(text("SELECT number FROM applications ORDER BY number")).scalars()
    assert list(apps) == [f"SQ-2026-{i:06d}" for i in range(1, 5)]  # made in 2026
    assert done(db.session, next_number, "PSBC", 2025) == "PSBC-2025-000003"
