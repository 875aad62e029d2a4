"""The set-based feed gives exactly what the row-by-row feed gives, on a mixed feed."""

from datetime import date

from creditsvc.services.feed.apply import apply_feed
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.loans import status_reports
from creditsvc.services.platform.uow import UnitOfWork
from tests.services.feed_scenario import bank_actor, book_state, mixed_feed

# A business date after every row of the scenario (its extension runs past the real today).
LATER = date(2027, 12, 31)


def _row_path(session, actor, rows):
    with UnitOfWork(session) as uow:
        results = status_reports.report_status_bulk(session, actor, [
            {"loan_id": lid, "as_of": as_of, "days_past_due": dpd} for lid, as_of, dpd in rows],
            today=LATER)
        session.flush()
        state = book_state(session)
        uow.rollback()
    return results, state


def test_set_based_feed_matches_the_row_path(session):
    actor = bank_actor(session)
    rows = mixed_feed(session)
    before = book_state(session)
    expected, expected_state = _row_path(session, actor, rows)
    assert book_state(session) == before  # the row path's run was rolled back
    with UnitOfWork(session) as uow:
        results = apply_feed(session, actor, rows, today=LATER)
        uow.commit()
    got = [results.row(i, lid) for i, (lid, _, _) in enumerate(rows)]
    assert got == expected
    assert [r.code for r in got] == [
        None, None, "stale_status_report", None, "loan_not_found", "loan_not_found",
        "invalid_transition", "stale_status_report", None, None, None, None,
        "stale_status_report", None, None]
    state = book_state(session)
    assert state == expected_state
    assert state != before and state["npl"] != before["npl"]
    assert reconcile(session) == []


def test_an_empty_or_all_refused_feed_changes_nothing(session):
    actor = bank_actor(session)
    mixed_feed(session)
    before = book_state(session)
    with UnitOfWork(session) as uow:
        results = apply_feed(session, actor, [("nope", date(2026, 3, 31), 3)], today=LATER)
        empty = apply_feed(session, actor, [], today=LATER)
        uow.commit()
    assert (results.accepted, results.code, empty.accepted) == (0, ["loan_not_found"], 0)
    assert book_state(session) == before
