"""The per-loan 台账 read by the service: who sees which loans, the filters, and the export's
walk in chunks holding the page's rows in the page's order."""

from datetime import date

import pytest

from creditsvc.core.errors import Invalid
from creditsvc.core.principal import Principal
from creditsvc.services.ledger import loans
from creditsvc.services.ledger.loans import LedgerFilter, ledger_page, ledger_rows
from tests.ledger_book import MANAGER, lay_book
from tests.pages.people import assign_area, make_person
from tests.today import TODAY


@pytest.fixture
def book(session):
    return lay_book()


def _ids(rows):
    return [r.loan_id for r in rows]


def test_the_export_walks_every_row_in_the_pages_order(session, book, monkeypatch):
    page = ledger_page(session, MANAGER, LedgerFilter(), today=TODAY, page_size=50)
    assert page.total == 7 and page.next_cursor is None
    monkeypatch.setattr(loans, "CHUNK", 2)  # four chunks of the same query
    assert _ids(ledger_rows(session, MANAGER, LedgerFilter(), today=TODAY)) == _ids(page.items)
    first = ledger_page(session, MANAGER, LedgerFilter(), today=TODAY, page_size=3)
    second = ledger_page(session, MANAGER, LedgerFilter(), today=TODAY, page_size=3,
                         after=first.next_cursor)
    assert _ids(first.items) + _ids(second.items) == _ids(page.items)[:6]


def test_each_role_sees_its_own(session, book, app):
    abc = Principal(None, "abc", "bank", "ABC")
    assert set(_ids(ledger_rows(session, abc, LedgerFilter(bank="PSBC"), today=TODAY))) == set()
    assert set(_ids(ledger_rows(session, abc, LedgerFilter(), today=TODAY))) == {
        book.b, book.g, book.d}
    officer = make_person("officer-ledger")
    assign_area(officer, "渔湖镇/南溪村")
    seen = Principal(officer.user_id, officer.name, "officer")
    assert _ids(ledger_rows(session, seen, LedgerFilter(), today=TODAY)) == [book.g]
    nobody = make_person("officer-none", area=())
    assert list(ledger_rows(session, Principal(nobody.user_id, nobody.name, "officer"),
                            LedgerFilter(), today=TODAY)) == []


def test_the_filters(session, book):
    def ids(**kw):
        return set(_ids(ledger_rows(session, MANAGER, LedgerFilter(**kw), today=TODAY)))

    assert ids(status="claimed") == {book.f}
    assert ids(village="西田") == {book.b}
    assert ids(town="地都镇", bank="PSBC") == {book.c}
    assert ids(disbursed_from=date(2026, 1, 5), disbursed_to=date(2026, 2, 1)) == {book.c, book.e}
    with pytest.raises(Invalid) as exc:
        ids(disbursed_from=date(2026, 2, 1), disbursed_to=date(2026, 1, 1))
    assert exc.value.code == "ledger_dates_reversed"


def test_overdue_and_arrears_come_from_the_schedule_and_the_report(session, book):
    rows = {r.loan_id: r for r in ledger_rows(session, MANAGER, LedgerFilter(), today=TODAY)}
    e = rows[book.e]  # ¥10,000 at 3% from 2026-01-05: three quarters' interest fallen due
    assert (e.arrears_fen, e.arrears_since, e.overdue_fen, e.overdue_since) == (
        22_750, date(2026, 4, 5), 0, None)
    assert rows[book.g].overdue_since == date(2026, 9, 19)  # 45 days late on 2026-11-02
    # Paid by the finance bureau on 2026-07-15 (¥60.00) and 2026-10-20 (¥75.00); none on E.
    assert (rows[book.a].subsidy_fen, rows[book.e].subsidy_fen) == (13_500, 0)
    earlier = {r.loan_id: r for r in ledger_rows(session, MANAGER, LedgerFilter(),
                                                 today=date(2026, 9, 30))}
    assert earlier[book.a].subsidy_fen == 6_000  # what was paid by that day


def test_a_pages_total_counts_the_rows_it_narrows_to(session, book, app):
    officer = make_person("officer-ledger-total")
    assign_area(officer, "渔湖镇")
    abc = Principal(None, "abc", "bank", "ABC")
    seen = Principal(officer.user_id, officer.name, "officer")
    for actor, f in ((MANAGER, LedgerFilter()), (MANAGER, LedgerFilter(town="地都镇")),
                     (MANAGER, LedgerFilter(status="claimed")), (abc, LedgerFilter()),
                     (seen, LedgerFilter()), (seen, LedgerFilter(bank="ABC"))):
        rows = list(ledger_rows(session, actor, f, today=TODAY))
        assert ledger_page(session, actor, f, today=TODAY, page_size=2).total == len(rows) > 0
