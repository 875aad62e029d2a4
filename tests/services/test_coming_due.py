"""Loans coming due (30 days ahead, today included) and just fallen due (the 30 days before),
for an officer's area and a bank's own loans, on the fixed business date."""

from datetime import timedelta

from creditsvc.services.loans.coming_due import DueCounts, coming_due, due_counts
from models import Household
from tests.services.export_books import export_book
from tests.today import TODAY


def _numbers(session, actor, which):
    page = coming_due(session, actor, which, today=TODAY)
    return {row[0].number for row in page.items}, page.total


def test_an_officer_sees_the_loans_of_their_area_coming_and_fallen_due(app, session):
    loans, actors, _ = export_book(session)
    coming, total = _numbers(session, actors["li"], "coming")
    assert coming == {loans["due30"].number} and total == 1  # 31 days out, repaid: not listed
    fallen, _ = _numbers(session, actors["li"], "fallen")
    assert fallen == {loans["fallen"].number}  # paid, 31 days past: not listed
    assert _numbers(session, actors["wang"], "coming")[0] == {loans["wang"].number}
    assert due_counts(session, actors["li"], today=TODAY) == DueCounts(1, 1)


def test_the_first_due_date_and_what_falls_due_come_with_the_row(app, session):
    loans, actors, _ = export_book(session)
    (loan, head, due_on, due_fen), = coming_due(session, actors["li"], "coming", today=TODAY).items
    assert loan.id == loans["due30"].id
    assert head == session.get(Household, loan.household_id).head_name_masked
    assert (due_on - TODAY).days == 30 and due_fen == 17_250


def test_a_bank_sees_its_own_loans_only(app, session):
    loans, actors, _ = export_book(session)
    assert _numbers(session, actors["psbc"], "coming")[0] == {loans["due30"].number,
                                                              loans["wang"].number}
    assert _numbers(session, actors["psbc"], "fallen")[0] == set()
    assert _numbers(session, actors["abc"], "fallen")[0] == {loans["fallen"].number}
    assert due_counts(session, actors["abc"], today=TODAY) == DueCounts(0, 1)


def test_the_windows_move_with_the_business_date(app, session):
    loans, actors, _ = export_book(session)
    later = TODAY + timedelta(days=1)  # due31 is now 30 days out; due30 29
    coming = {r[0].number for r in coming_due(session, actors["li"], "coming", today=later).items}
    assert coming == {loans["due30"].number, loans["due31"].number}
