"""应贷未贷 counted on write (migration 0019w): over a run of writes of lines, surveys and loans,
by every path the code writes them (ORM, Core bulk statements, the grant's put_lines), the
counts the triggers keep give, on any business date, what the definition's join counts."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, exists, func, insert, or_, select, update

from creditsvc.services.access.areas import areas_of
from creditsvc.services.campaign import lists
from creditsvc.services.campaign.grant import put_lines
from creditsvc.services.campaign.lists import ListFilter
from creditsvc.services.campaign.reconcile import waiting_breaks
from models import CreditLine, HouseholdSurvey, Loan, WaitingLineCount
from tests.books import set_fund
from tests.campaign_books import CreditLineFactory, RatingFactory, rated
from tests.factories import LoanFactory
from tests.services.test_campaign_lists import officer
from tests.today import TODAY

OWING = ("active", "claimed", "written_off")
FILTERS = (ListFilter(), ListFilter(town="渔湖镇"), ListFilter(village="东湖"),
           ListFilter(grade="AAA"), ListFilter(town="地都镇", village="东湖村", grade="A"))
# Before, inside and after the factory's lines (granted TODAY - 30, for two years) and the
# lines this test grants from TODAY and TODAY + 10.
DATES = [TODAY + timedelta(days=d) for d in (-800, -31, -30, 0, 9, 10, 699, 700, 729, 730)]


def oracle(session, actor, f: ListFilter, today) -> list[tuple[str, str, int]]:
    """The definition, joined and counted line by line (the counts' query before 0019w)."""
    owes = exists().where(Loan.household_id == CreditLine.household_id,
                          or_(Loan.status.in_(OWING), Loan.disbursed_on >= CreditLine.valid_from))
    query = (select(CreditLine.town, CreditLine.village, func.count())
             .join(HouseholdSurvey, HouseholdSurvey.household_id == CreditLine.household_id)
             .where(CreditLine.status == "active", CreditLine.valid_from <= today,
                    CreditLine.valid_until >= today, HouseholdSurvey.willing.is_(True), ~owes,
                    lists.in_areas(areas_of(session, actor.user_id), CreditLine.town,
                                   CreditLine.village)))
    if f.town is not None:
        query = query.where(CreditLine.town == f.town)
    if f.village:
        query = query.where(CreditLine.village.contains(f.village))
    if f.grade is not None:
        query = query.where(CreditLine.grade == f.grade)
    query = query.group_by(CreditLine.town, CreditLine.village).order_by(CreditLine.town,
                                                                         CreditLine.village)
    return [tuple(row) for row in session.execute(query)]


def flags_wrong(session) -> list[str]:
    """Lines whose `waiting` is not the definition's (any date)."""
    owes = exists().where(Loan.household_id == CreditLine.household_id,
                          or_(Loan.status.in_(OWING), Loan.disbursed_on >= CreditLine.valid_from))
    willing = exists().where(HouseholdSurvey.household_id == CreditLine.household_id,
                             HouseholdSurvey.willing.is_(True))
    lines = session.execute(select(CreditLine.id, CreditLine.waiting, CreditLine.status,
                                   willing, ~owes)).all()
    return [i for i, flag, status, w, free in lines if bool(flag) != (status == "active" and w and free)]


@pytest.fixture
def county(session):
    return officer(session, "officer-county", "渔湖镇", "地都镇")


@pytest.fixture
def village(session):
    return officer(session, "officer-one-village", "渔湖镇/东湖村")


def check(session, county, village, step: str) -> None:
    session.flush()
    assert flags_wrong(session) == [], step
    assert waiting_breaks(session) == [], step  # the operator's reconcile agrees
    for today in DATES:
        for who, filters in ((county, FILTERS), (village, FILTERS[:1])):
            for f in filters:
                expected = oracle(session, who, f, today)
                counts = lists.unborrowed_counts(session, who, f, today=today)
                assert counts.villages == expected, (step, today, f)
                total = sum(n for *_, n in expected)
                assert counts.total == total, (step, today, f)
                if f == ListFilter():  # the list's total is the counts' (the same query)
                    assert lists.unborrowed(session, who, f, today=today).total == total, step
            assert lists.desk_counts(session, who, today=today)[1] == sum(
                n for *_, n in oracle(session, who, ListFilter(), today)), (step, today)


def loan_of(household_id: str, disbursed_on, status: str = "active") -> str:
    loan = LoanFactory(disbursed_on=disbursed_on, household_id=household_id)
    loan.status = status
    return loan.id


def test_the_kept_counts_are_the_definitions_through_every_write(session, county, village):
    set_fund(session, 50_000_000)
    east = [rated() for _ in range(3)]  # 渔湖镇 东湖村, AA, granted TODAY - 30
    west = rated("渔湖镇", "西田村", grade="AAA")
    other = rated("地都镇", "东湖村", grade="A", valid_from=TODAY + timedelta(days=10))
    outside = rated("砲台镇", "新村")  # nobody's area here
    unwilling = rated(willing=False)
    unsurveyed = rated(willing=None)
    expired = rated(valid_from=TODAY - timedelta(days=800), granted_on=TODAY - timedelta(days=800),
                    valid_until=TODAY - timedelta(days=70))
    check(session, county, village, "granted")

    # A re-rating's grant (the campaign's own write): the old line replaced, a new one from today.
    rating = RatingFactory(household_id=east[0], grade="AAA")
    put_lines(session, [{
        "id": "re-rated-line-0001", "household_id": east[0], "town": "渔湖镇", "village": "东湖村",
        "rating_id": rating.id, "grade": "AAA", "line_fen": 5_000_000, "valid_from": TODAY,
        "valid_until": TODAY + timedelta(days=729), "status": "active", "policy_version": 1,
        "model_sha256": "0" * 64, "granted_by": rating.rated_by, "granted_on": TODAY}])
    check(session, county, village, "re-rated")

    session.execute(update(CreditLine).where(CreditLine.household_id == west,
                                             CreditLine.status == "active")
                    .values(status="revoked", revoked_reason="迁出"))
    check(session, county, village, "revoked")

    # The survey: toggled by the ORM, inserted in bulk (as the import does), deleted.
    survey = session.execute(select(HouseholdSurvey).where(
        HouseholdSurvey.household_id == unwilling)).scalar_one()
    survey.willing = True
    check(session, county, village, "became willing")
    session.execute(update(HouseholdSurvey).where(HouseholdSurvey.household_id.in_(east[1:]))
                    .values(willing=False))
    check(session, county, village, "two no longer willing")
    session.execute(update(HouseholdSurvey).where(HouseholdSurvey.household_id == east[1])
                    .values(willing=True, surveyor="复查"))
    check(session, county, village, "willing again")
    later = rated()
    session.execute(delete(HouseholdSurvey).where(HouseholdSurvey.household_id == later))
    session.execute(insert(HouseholdSurvey), [
        {"id": f"survey-bulk-{i}", "household_id": h, "willing": willing}
        for i, (h, willing) in enumerate(((unsurveyed, True), (later, True)))])
    check(session, county, village, "surveys imported")
    session.execute(delete(HouseholdSurvey).where(HouseholdSurvey.household_id == unsurveyed))
    check(session, county, village, "survey deleted")

    # Loans: disbursed within the line, repaid, one from before the line repaid, claimed,
    # written off, moved, deleted; the feed's bulk UPDATE of several at once.
    within = loan_of(east[1], TODAY - timedelta(days=5))
    check(session, county, village, "disbursed within the line")
    session.get(Loan, within).status = "repaid"
    check(session, county, village, "repaid, still within the line")
    session.get(Loan, within).disbursed_on = TODAY - timedelta(days=400)
    check(session, county, village, "repaid, from before the line")
    owed = loan_of(east[2], TODAY - timedelta(days=400))
    check(session, county, village, "owed from before the line")
    for status in ("claimed", "written_off", "repaid", "active"):
        session.get(Loan, owed).status = status
        check(session, county, village, f"loan {status}")
    others = [loan_of(h, TODAY - timedelta(days=500)) for h in (later, unwilling)]
    check(session, county, village, "two more owed")
    session.execute(update(Loan).where(Loan.id.in_([owed, *others])).values(
        status="repaid", days_past_due=0))
    check(session, county, village, "the feed repays three at once")
    session.execute(update(Loan).where(Loan.id.in_(others)).values(days_past_due=0))
    check(session, county, village, "a feed that changes nothing the lists read")
    session.get(Loan, others[0]).status = "active"
    check(session, county, village, "owed again")
    session.get(Loan, others[0]).household_id = other
    check(session, county, village, "a loan moved to another household")
    session.execute(delete(Loan).where(Loan.id == others[0]))
    check(session, county, village, "a loan deleted")

    # Lines: moved to another village and grade, dated again, deleted; one granted unwilling.
    session.execute(update(CreditLine).where(CreditLine.household_id == east[1])
                    .values(village="西田村", grade="AAA"))
    check(session, county, village, "a line moved")
    session.execute(update(CreditLine).where(CreditLine.household_id == other)
                    .values(valid_from=TODAY - timedelta(days=600)))
    check(session, county, village, "a line dated before its loan")
    session.execute(update(CreditLine).where(CreditLine.household_id == expired)
                    .values(valid_until=TODAY + timedelta(days=30)))
    check(session, county, village, "an expired line extended")
    session.execute(delete(CreditLine).where(CreditLine.household_id == east[2]))
    check(session, county, village, "a line deleted")
    CreditLineFactory(household_id=outside, status="revoked")
    session.execute(update(CreditLine).where(CreditLine.household_id == west)
                    .values(status="active"))
    check(session, county, village, "a revoked line active again")
    assert session.execute(select(func.count()).select_from(WaitingLineCount)).scalar_one() > 0


def test_reconcile_names_a_flag_or_a_count_the_triggers_got_wrong(session):
    first, second = rated(), rated("渔湖镇", "西田村", grade="AAA")
    session.flush()
    assert waiting_breaks(session) == []
    # A flag set by hand (the triggers move the counts with it: only the flag is wrong).
    session.execute(update(CreditLine).where(CreditLine.household_id == first)
                    .values(waiting=False))
    assert waiting_breaks(session) == [
        "1 credit lines have a waiting flag their survey and loans do not give"]
    session.execute(update(CreditLine).where(CreditLine.household_id == first)
                    .values(waiting=True))
    # A count changed behind the triggers' back.
    session.execute(update(WaitingLineCount).where(WaitingLineCount.village == "西田村")
                    .values(n=WaitingLineCount.n + 2))
    breaks = waiting_breaks(session)
    assert len(breaks) == 1 and breaks[0].startswith("waiting_line_counts 渔湖镇/西田村/AAA/")
    assert breaks[0].endswith("is 3 but the lines say 1") and second
