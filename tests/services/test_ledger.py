"""The ledger: balanced, immutable entries that move the Fund row with them."""


import pytest
from sqlalchemy import select

from creditsvc.services.fund import ledger
from creditsvc.services.fund.reconcile import reconcile
from models import Fund, JournalEntry
from tests.books import SYSTEM, fund_with
from tests.today import TODAY


def _fund(session):
    return session.execute(select(Fund).execution_options(populate_existing=True)).scalar_one()


@pytest.mark.parametrize("postings", [
    [("fund_cash", 100), ("contributions", -99)],
    [("fund_cash", 100)],
    [("fund_cash", 100), ("nowhere", -100)],
    [("fund_cash", 0), ("contributions", 0)],
])
def test_unbalanced_entries_are_refused(session, postings):
    with pytest.raises(ledger.UnbalancedEntry):
        ledger.post(session, SYSTEM, "contribution", postings, effective_on=TODAY)


def test_contribution_moves_capital_and_balance(session):
    fund_with(session, 50_000_000)
    f = _fund(session)
    assert (f.capital_fen, f.balance_fen) == (50_000_000, 50_000_000)
    assert reconcile(session) == []


def test_a_draw_never_takes_the_balance_below_zero(session):
    fund_with(session, 1_000)
    with pytest.raises(ledger.FundExhausted):
        ledger.post(session, SYSTEM, "claim_draw", [("claims_paid", 1_001), ("fund_cash", -1_001)],
                    effective_on=TODAY)
    session.rollback()
    assert _fund(session).balance_fen == 1_000


def test_reverse_posts_the_mirror_once(session):
    fund_with(session, 5_000)
    entry = session.execute(select(JournalEntry)).scalar_one()
    mirror = ledger.reverse(session, SYSTEM, entry, effective_on=TODAY, memo="entered twice")
    session.commit()
    assert sorted((p.account, p.amount_fen) for p in mirror.postings) == [
        ("contributions", 5_000), ("fund_cash", -5_000)]
    assert (_fund(session).capital_fen, _fund(session).balance_fen) == (0, 0)
    assert reconcile(session) == []
    fund_with(session, 5_000)
    with pytest.raises(ledger.Conflict, match="already reversed"):
        ledger.reverse(session, SYSTEM, entry, effective_on=TODAY, memo="again")
    session.rollback()
    with pytest.raises(ledger.Conflict):
        ledger.reverse(session, SYSTEM, session.get(JournalEntry, mirror.id), effective_on=TODAY,
                       memo="undo the undo")
