"""下一还款日: a date still to come, or, once it has passed, what the latest report says and its age."""

from datetime import date

import pytest

from creditsvc.infra.extensions import db
from models import Loan
from tests.pages.bank_books import disbursed, funded


@pytest.fixture(autouse=True)
def _funded():
    funded()


def reported(loan_id: str, as_of: date, dpd: int) -> None:
    """Record on the loan what a status report of AS_OF said (as the feed leaves it)."""
    loan = db.session.get(Loan, loan_id)
    loan.dpd_as_of, loan.days_past_due = as_of, dpd
    db.session.commit()
    db.session.close()


def test_a_due_date_to_come_is_shown(as_user, business_date):
    business_date("2026-01-05")
    loan_id = disbursed()
    client = as_user("psbc")
    for path in ("/bank/loans", f"/bank/loans/{loan_id}"):
        text = client.get(path).get_data(as_text=True)
        assert "2026年4月5日" in text and "报告：" not in text, path


def test_a_passed_due_date_shows_the_latest_report_and_its_age(as_user, business_date):
    business_date("2026-01-05")
    loan_id = disbursed()
    reported(loan_id, date(2026, 3, 31), 0)
    business_date("2026-04-20")
    client = as_user("psbc")
    for path in ("/bank/loans", f"/bank/loans/{loan_id}"):
        text = client.get(path).get_data(as_text=True)
        assert "截至 2026年3月31日 报告：逾期 0 天" in text, path
        assert "（20 天前）" in text, path
        assert "2026年4月5日" not in text.split("下一还款日", 2)[-1][:400], path


def test_a_passed_due_date_with_no_report_says_so(as_user, business_date):
    business_date("2026-01-05")
    loan_id = disbursed()
    business_date("2026-04-20")
    text = as_user("psbc").get(f"/bank/loans/{loan_id}").get_data(as_text=True)
    assert "2026年4月5日 应还，尚无逾期报送" in text
