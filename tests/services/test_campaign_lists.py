"""信用评级 and 应贷未贷: line states, 应贷未贷's definition, filters, counts and the officer's area."""

from datetime import timedelta

import pytest

from creditsvc.core.principal import Principal
from creditsvc.services.access import areas, users
from creditsvc.services.campaign import lists
from creditsvc.services.campaign.lists import ListFilter
from models import Household, Loan
from tests.books import set_fund
from tests.campaign_books import rated
from tests.conftest import ACTOR
from tests.factories import LoanFactory
from tests.today import TODAY
from tests.work import done


def officer(session, name: str, *area: str) -> Principal:
    user, _ = done(session, users.create_user, ACTOR, name, "officer")
    if area:
        done(session, areas.assign, ACTOR, user.id, [areas.Area.parse(a) for a in area])
    return Principal(user.id, user.name, "officer")


@pytest.fixture
def me(session):
    return officer(session, "officer-lists", "渔湖镇")


def households_of(page) -> list[str]:
    return [row.household_id for row in page.items]


def test_the_rating_list_shows_each_lines_state(session, me):
    valid = rated(grade="AAA")
    expired = rated(valid_from=TODAY - timedelta(days=800), granted_on=TODAY - timedelta(days=800),
                    valid_until=TODAY - timedelta(days=1))
    replaced = rated(status="replaced", grade="A")
    page = lists.credit_ratings(session, me, ListFilter(), today=TODAY)
    rows = {row.household_id: row for row in page.items}
    assert households_of(page) == [valid, expired, replaced] and page.total == 3
    assert [rows[h].state for h in (valid, expired, replaced)] == ["valid", "expired", "replaced"]
    assert (rows[valid].grade, rows[valid].line_fen, rows[valid].head_name) == ("AAA", 5_000_000, "陈*")
    assert rows[valid].granted_on == TODAY - timedelta(days=30)
    # A line is in force through its valid_until: on that day it is still valid.
    last_day = rated(valid_until=TODAY)
    assert lists.credit_ratings(session, me, ListFilter(state="valid"), today=TODAY).total == 2
    assert last_day in households_of(lists.credit_ratings(session, me, ListFilter(state="valid"),
                                                          today=TODAY))
    assert households_of(lists.credit_ratings(session, me, ListFilter(state="expired"),
                                              today=TODAY)) == [expired]


def test_the_rating_list_filters_by_town_village_and_grade(session):
    me = officer(session, "officer-two-towns", "渔湖镇", "地都镇")
    east = rated("渔湖镇", "东湖村", grade="AAA")
    west = rated("渔湖镇", "下西田村", grade="AA")
    other = rated("地都镇", "东湖村", grade="A")

    def shown(**f):
        return set(households_of(lists.credit_ratings(session, me, ListFilter(**f), today=TODAY)))

    assert shown() == {east, west, other}
    assert shown(town="渔湖镇") == {east, west}
    assert shown(village="西田") == {west}  # part of the name
    assert shown(village="东湖村") == {east, other}
    assert shown(grade="A") == {other}
    assert shown(town="地都镇", grade="AAA") == set()


def test_an_officer_sees_the_lists_of_their_area_only(session):
    rated("渔湖镇", "东湖村")
    rated("渔湖镇", "西田村")
    village = officer(session, "officer-village", "渔湖镇/西田村")
    elsewhere = officer(session, "officer-elsewhere", "地都镇")
    nowhere = officer(session, "officer-nowhere")
    seen = lists.credit_ratings(session, village, ListFilter(), today=TODAY).items
    assert [row.village for row in seen] == ["西田村"]
    for who in (elsewhere, nowhere):
        assert lists.credit_ratings(session, who, ListFilter(), today=TODAY).items == []
        assert lists.unborrowed(session, who, ListFilter(), today=TODAY).items == []
        assert lists.unborrowed_counts(session, who, ListFilter(), today=TODAY).total == 0
        assert lists.desk_counts(session, who, today=TODAY) == (0, 0)


def test_unborrowed_is_a_willing_household_with_a_line_in_force_and_no_loan_within_it(session, me):
    set_fund(session, 50_000_000)
    waiting = rated()
    last_day = rated(valid_until=TODAY)
    unwilling = rated(willing=False)
    unsurveyed = rated(willing=None)
    expired = rated(valid_from=TODAY - timedelta(days=731), granted_on=TODAY - timedelta(days=731),
                    valid_until=TODAY - timedelta(days=1))
    not_yet = rated(valid_from=TODAY + timedelta(days=1))
    replaced = rated(status="replaced")
    owing = rated()
    borrowed = rated()
    repaid_before = rated()
    for household_id, status, disbursed_on in (
            (owing, "active", TODAY - timedelta(days=400)),  # before the line, still owed
            (borrowed, "repaid", TODAY - timedelta(days=10)),  # within the line, repaid already
            (repaid_before, "repaid", TODAY - timedelta(days=400))):  # before the line, repaid
        loan = LoanFactory(disbursed_on=disbursed_on)
        session.get(Loan, loan.id).household_id = household_id
        session.get(Loan, loan.id).status = status
    session.commit()
    page = lists.unborrowed(session, me, ListFilter(), today=TODAY)
    assert households_of(page) == [waiting, last_day, repaid_before] and page.total == 3
    row = page.items[0]
    assert (row.intended_amount_fen, row.line_fen, row.grade, row.state) == (2_000_000, 3_000_000,
                                                                             "AA", "valid")
    shown = set(households_of(page))
    assert not shown & {unwilling, unsurveyed, expired, not_yet, replaced, owing, borrowed}
    # The day after its valid_until, a line is expired: that household is no longer listed;
    # a line from tomorrow is in force then.
    tomorrow = lists.unborrowed(session, me, ListFilter(), today=TODAY + timedelta(days=1))
    assert households_of(tomorrow) == [waiting, not_yet, repaid_before]


def test_unborrowed_counted_per_village_and_town(session):
    me = officer(session, "officer-counts", "渔湖镇", "地都镇")
    for town, village, n in (("渔湖镇", "东湖村", 3), ("渔湖镇", "西田村", 2), ("地都镇", "东湖村", 1)):
        for _ in range(n):
            rated(town, village)
    rated("渔湖镇", "东湖村", willing=False)
    rated("砲台镇", "新村")  # outside the area
    counts = lists.unborrowed_counts(session, me, ListFilter(), today=TODAY)
    assert counts.villages == [("地都镇", "东湖村", 1), ("渔湖镇", "东湖村", 3), ("渔湖镇", "西田村", 2)]
    assert counts.towns == {"地都镇": 1, "渔湖镇": 5} and counts.total == 6
    assert lists.unborrowed_counts(session, me, ListFilter(town="渔湖镇"), today=TODAY).total == 5
    assert lists.desk_counts(session, me, today=TODAY) == (7, 6)


def test_keyset_pages_cover_the_list_once(session, me):
    made = [rated() for _ in range(7)]
    seen, after = [], None
    while True:
        page = lists.unborrowed(session, me, ListFilter(), today=TODAY, after=after, page_size=3)
        seen += households_of(page)
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == made


def test_a_household_is_listed_by_its_masked_name_only(session, me):
    rated(name="邱*")
    row = lists.credit_ratings(session, me, ListFilter(), today=TODAY).items[0]
    assert row.head_name == "邱*"
    assert not hasattr(row, "head_name_enc") and session.get(Household, row.household_id)
