"""Lending within a credit line: the cap, and why a line does not hold."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from creditsvc.core.errors import AppError
from creditsvc.services.assessment import rating as ratings
from creditsvc.services.loans import applications, lines
from models import CreditLine
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.services.test_ratings import household, officer_p, survey  # noqa: F401 - a fixture
from tests.work import done

ON = date(2026, 11, 2)


def granted(session, h, actor, *, line_fen=3_000_000, valid_until=date(2028, 5, 31),
            valid_from=date(2026, 6, 1), status="active"):
    """H rated and granted a line (as a campaign grants it)."""
    survey(session, h)
    rating = done(session, ratings.rate_household, h.id, actor=actor, on=ON)
    line = CreditLine(household_id=h.id, town=h.town, village=h.village, rating_id=rating.id,
                      grade=rating.grade or "AA",
                      line_fen=line_fen, valid_from=valid_from, valid_until=valid_until,
                      status=status, policy_version=rating.policy_version,
                      model_sha256=rating.model_sha256, granted_by=actor.user_id,
                      granted_on=valid_from)
    session.add(line)
    session.commit()
    return line


def owing(session, h, principal_fen):
    fund_with(session, 50_000_000)
    loan = LoanFactory(principal_fen=principal_fen, days_past_due=0)
    loan.household_id = h.id
    session.commit()
    return loan


def _submit(session, actor, h, amount):
    return done(session, applications.submit, actor, household_id=h.id, amount=Decimal(amount),
                term_months=12, purpose="planting", bank="PSBC", on=ON)


def test_an_application_within_a_line_is_capped_by_it(session, officer_p):  # noqa: F811
    h = household(session)
    line = granted(session, h, officer_p, line_fen=3_000_000)
    owing(session, h, 1_000_000)
    check = lines.line_check(session, h.id, ON)
    assert check.valid and (check.owed_fen, check.available_fen) == (1_000_000, 2_000_000)
    assert lines.active_line(session, h.id, ON).id == line.id
    with pytest.raises(AppError) as above:
        _submit(session, officer_p, h, "20000.01")
    assert (above.value.code, above.value.params, above.value.fields) == (
        "amount_above_line", {"most": "20000.00"}, ("amount",))
    app = _submit(session, officer_p, h, "20000.00")
    assert app.credit_line_id == line.id
    shown = lines.on_application(session, app)
    assert (shown["valid"], shown["line"], shown["grade"]) == (True, "30000.00", line.grade)
    # A reviewer is held to the line too: what it leaves beside what is owed.
    assert applications.review_cap(session, app) <= Decimal("20000.00")


def test_a_used_up_line_refuses_any_amount(session, officer_p):  # noqa: F811
    h = household(session)
    granted(session, h, officer_p, line_fen=1_000_000)
    owing(session, h, 1_000_000)
    with pytest.raises(AppError) as used:
        _submit(session, officer_p, h, "1000.00")
    assert used.value.code == "line_used_up"


def test_an_expired_line_gives_its_reason_and_the_ordinary_path(session, officer_p):  # noqa: F811
    h = household(session)
    granted(session, h, officer_p, valid_from=date(2024, 6, 1), valid_until=ON - timedelta(days=1))
    reason = lines.why_no_line(session, h.id, ON)
    assert (reason.code, reason.params) == ("credit_line_lapsed", {"expired_on": "2026-11-01"})
    assert lines.active_line(session, h.id, ON) is None
    app = _submit(session, officer_p, h, "45000.00")  # above the old line: no cap
    assert app.credit_line_id is None
    shown = lines.on_application(session, app)
    assert shown["valid"] is False and shown["reason"]["code"] == "credit_line_lapsed"
    assert shown["reason"]["text_zh"] == "授信已于 2026-11-01 到期，按无授信办理"
    assert "expired on 2026-11-01" in shown["reason"]["message"]


@pytest.mark.parametrize(("change", "code"), [
    ("bad_credit", "credit_line_bad_credit"),
    ("overdue", "credit_line_overdue"),
    ("revoked", "credit_line_revoked"),
])
def test_a_household_no_longer_eligible_has_no_line(session, officer_p, change, code):  # noqa: F811
    h = household(session)
    line = granted(session, h, officer_p)
    if change == "bad_credit":
        h.bad_credit_flag = True
    elif change == "overdue":
        owing(session, h, 500_000).days_past_due = 40
    else:
        line.status, line.revoked_reason = "revoked", "村民异议属实"
    session.commit()
    assert lines.why_no_line(session, h.id, ON).code == code
    assert lines.active_line(session, h.id, ON) is None


def test_a_household_without_a_line_goes_the_ordinary_path(session, officer_p):  # noqa: F811
    h = household(session)
    assert lines.line_check(session, h.id, ON) is None and lines.why_no_line(session, h.id, ON) is None
    app = _submit(session, officer_p, h, "45000.00")
    assert app.credit_line_id is None and lines.on_application(session, app) is None
